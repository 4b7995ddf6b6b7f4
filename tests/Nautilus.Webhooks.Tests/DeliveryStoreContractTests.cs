using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nautilus.Testing;
using Nautilus.Webhooks.Queue;
using Npgsql;

namespace Nautilus.Webhooks.Tests;

/// <summary>
/// The contract of <see cref="IDeliveryStore"/> that the worker and the endpoints rely on, run unchanged against
/// each store: SQLite (one process) and PostgreSQL (several replicas). Lease times follow a fake clock, so expiry
/// is a step of the test, never a wait.
/// </summary>
public abstract class DeliveryStoreContract : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    protected IDeliveryStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Store = await CreateAsync(Time);
        await Store.InitializeAsync(CancellationToken.None);
    }

    public virtual async Task DisposeAsync()
    {
        if (Store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    protected abstract Task<IDeliveryStore> CreateAsync(TimeProvider time);

    private Task<EnqueueResult> EnqueueAsync(string key) =>
        Store.EnqueueAsync(new NewDelivery(key, "Merge Request Hook", "merge", Encoding.UTF8.GetBytes($"{{\"key\":\"{key}\"}}"), Time.GetUtcNow()),
            CancellationToken.None);

    private async Task<LeasedDelivery> LeaseOneAsync(string owner)
    {
        var leased = await Store.LeaseAsync(owner, 1, Lease, CancellationToken.None);
        return Assert.Single(leased);
    }

    [Fact]
    public async Task Enqueue_SameDedupKey_AnswersTheStoredIdAsDuplicate()
    {
        var first = await EnqueueAsync("k1");
        var again = await EnqueueAsync("k1");
        var other = await EnqueueAsync("k2");

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(first.Id, again.Id);
        Assert.NotEqual(first.Id, other.Id);
        var stored = await Store.GetAsync(first.Id, CancellationToken.None);
        Assert.Equal(DeliveryStatus.Pending, stored!.Status);
        Assert.Equal("merge", stored.Kind);
        Assert.Equal(Time.GetUtcNow(), stored.ReceivedAt);
    }

    [Fact]
    public async Task Lease_BodyAndAttempt_ComeBackAsStored()
    {
        var id = (await EnqueueAsync("body")).Id;

        var leased = await LeaseOneAsync("a");

        Assert.Equal(id, leased.Id);
        Assert.Equal("{\"key\":\"body\"}", Encoding.UTF8.GetString(leased.Body));
        Assert.Equal(1, leased.Attempts);
        Assert.Null(leased.Progress);
        Assert.Equal(DeliveryStatus.Processing, (await Store.GetAsync(id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Lease_ConcurrentWorkers_EachDeliveryLeasedOnce()
    {
        for (var i = 0; i < 60; i++)
        {
            await EnqueueAsync($"c{i}");
        }

        var taken = new System.Collections.Concurrent.ConcurrentBag<long>();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            while (await Store.LeaseAsync($"worker-{w}", 2, Lease, CancellationToken.None) is { Count: > 0 } leased)
            {
                foreach (var d in leased)
                {
                    taken.Add(d.Id);
                }
            }
        })));

        Assert.Equal(60, taken.Count);
        Assert.Equal(60, taken.Distinct().Count());
    }

    [Fact]
    public async Task Lease_HeldLease_NotTakenBeforeItExpires_TakenAfter()
    {
        var id = (await EnqueueAsync("expiry")).Id;
        await LeaseOneAsync("a");

        Time.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.Empty(await Store.LeaseAsync("b", 1, Lease, CancellationToken.None));

        Time.Advance(TimeSpan.FromSeconds(2));
        var takenOver = await LeaseOneAsync("b");
        Assert.Equal(id, takenOver.Id);
        Assert.Equal(2, takenOver.Attempts);
    }

    [Fact]
    public async Task RenewLease_WhileHeld_KeepsTheDeliveryPastTheFirstLease()
    {
        var id = (await EnqueueAsync("renew")).Id;
        await LeaseOneAsync("a");

        // Six heartbeats a third of a lease apart: a minute in all, twice the lease.
        for (var beat = 0; beat < 6; beat++)
        {
            Time.Advance(Lease / 3);
            Assert.True(await Store.RenewLeaseAsync(id, "a", Lease, CancellationToken.None));
            Assert.Empty(await Store.LeaseAsync("b", 1, Lease, CancellationToken.None));
        }

        Assert.True(await Store.CompleteAsync(id, "a", CancellationToken.None));
        Assert.Equal(DeliveryStatus.Done, (await Store.GetAsync(id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task FencedWrites_AfterTakeover_OldOwnerCanNeitherRenewNorSaveNorComplete()
    {
        var id = (await EnqueueAsync("fence")).Id;
        await LeaseOneAsync("a");
        Assert.True(await Store.SaveProgressAsync(id, "a", "{\"merge\":{\"activated\":true}}", CancellationToken.None));
        Time.Advance(Lease + TimeSpan.FromSeconds(1));
        var takenOver = await LeaseOneAsync("b");

        Assert.Equal("{\"merge\":{\"activated\":true}}", takenOver.Progress);
        Assert.False(await Store.RenewLeaseAsync(id, "a", Lease, CancellationToken.None));
        Assert.False(await Store.SaveProgressAsync(id, "a", "{}", CancellationToken.None));
        Assert.False(await Store.CompleteAsync(id, "a", CancellationToken.None));
        Assert.False(await Store.RetryLaterAsync(id, "a", Time.GetUtcNow(), "late", CancellationToken.None));
        Assert.False(await Store.DeadLetterAsync(id, "a", "late", CancellationToken.None));

        Assert.True(await Store.CompleteAsync(id, "b", CancellationToken.None));
        Assert.False(await Store.RenewLeaseAsync(id, "b", Lease, CancellationToken.None));
        var done = await Store.GetAsync(id, CancellationToken.None);
        Assert.Equal(DeliveryStatus.Done, done!.Status);
        Assert.Equal(Time.GetUtcNow(), done.CompletedAt);
    }

    [Fact]
    public async Task RetryLater_NotLeasedBeforeItsDueTime_ThenLeasedWithTheNextAttempt()
    {
        var id = (await EnqueueAsync("retry")).Id;
        await LeaseOneAsync("a");
        Assert.True(await Store.RetryLaterAsync(id, "a", Time.GetUtcNow().AddMinutes(2), "NetBox answered 503", CancellationToken.None));

        var waiting = await Store.GetAsync(id, CancellationToken.None);
        Assert.Equal(DeliveryStatus.Pending, waiting!.Status);
        Assert.Equal("NetBox answered 503", waiting.LastError);
        Assert.Equal(Time.GetUtcNow().AddMinutes(2), waiting.DueAt);
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(await Store.LeaseAsync("a", 1, Lease, CancellationToken.None));

        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2, (await LeaseOneAsync("a")).Attempts);
    }

    [Fact]
    public async Task DeadLetter_ThenRequeue_LeasedAgainWithAttemptsReset()
    {
        var id = (await EnqueueAsync("dead")).Id;
        await LeaseOneAsync("a");
        Assert.True(await Store.DeadLetterAsync(id, "a", "NetBox refused: name too long", CancellationToken.None));

        var failed = Assert.Single(await Store.ListAsync(DeliveryStatus.Failed, 10, CancellationToken.None));
        Assert.Equal(id, failed.Id);
        Assert.Equal("NetBox refused: name too long", failed.LastError);
        Assert.Empty(await Store.LeaseAsync("a", 1, Lease, CancellationToken.None));
        Assert.False(await Store.RequeueAsync(id + 1000, CancellationToken.None));

        Assert.True(await Store.RequeueAsync(id, CancellationToken.None));
        Assert.False(await Store.RequeueAsync(id, CancellationToken.None));
        Assert.Equal(1, (await LeaseOneAsync("a")).Attempts);
    }

    /// <summary>The admin retry also takes a delivery waiting in back-off: due now, attempts reset; not one being processed.</summary>
    [Fact]
    public async Task WaitingInBackOff_Requeue_DueNowWithAttemptsReset()
    {
        var id = (await EnqueueAsync("backoff")).Id;
        await LeaseOneAsync("a");
        Assert.False(await Store.RequeueAsync(id, CancellationToken.None)); // being processed
        Assert.True(await Store.RetryLaterAsync(id, "a", Time.GetUtcNow().AddHours(1), "NetBox answered 503", CancellationToken.None));
        Assert.Empty(await Store.LeaseAsync("a", 1, Lease, CancellationToken.None));

        Assert.True(await Store.RequeueAsync(id, CancellationToken.None));

        Assert.False(await Store.RequeueAsync(id, CancellationToken.None)); // already due, nothing to hurry
        Assert.Equal(1, (await LeaseOneAsync("b")).Attempts);
    }

    [Fact]
    public async Task CountListAndPurge_FollowStatusAndCompletionTime()
    {
        var done = (await EnqueueAsync("p1")).Id;
        var open = (await EnqueueAsync("p2")).Id;
        await LeaseOneAsync("a");
        Assert.True(await Store.CompleteAsync(done, "a", CancellationToken.None));

        var counts = await Store.CountByStatusAsync(CancellationToken.None);
        Assert.Equal(1, counts[DeliveryStatus.Done]);
        Assert.Equal(1, counts[DeliveryStatus.Pending]);
        Assert.Equal(0, counts[DeliveryStatus.Failed]);
        Assert.Equal([open, done], (await Store.ListAsync(null, 10, CancellationToken.None)).Select(d => d.Id));

        Assert.Equal(0, await Store.PurgeAsync(Time.GetUtcNow(), CancellationToken.None));
        Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await Store.PurgeAsync(Time.GetUtcNow(), CancellationToken.None));
        Assert.Null(await Store.GetAsync(done, CancellationToken.None));
        Assert.NotNull(await Store.GetAsync(open, CancellationToken.None));
        await Store.PingAsync(CancellationToken.None);
    }
}

public sealed class SqliteDeliveryStoreContractTests : DeliveryStoreContract
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nautilus-store-contract-").FullName;

    protected override Task<IDeliveryStore> CreateAsync(TimeProvider time) =>
        Task.FromResult<IDeliveryStore>(new SqliteDeliveryStore(Path.Combine(_directory, "queue.db"), time, NullLogger<SqliteDeliveryStore>.Instance));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>Each test in a schema of its own on the PostgreSQL that tests/run.sh starts.</summary>
[RealTool]
public sealed class PostgresDeliveryStoreContractTests : DeliveryStoreContract
{
    private NpgsqlDataSource? _admin;
    private string? _schema;

    protected override async Task<IDeliveryStore> CreateAsync(TimeProvider time)
    {
        var pg = Environment.GetEnvironmentVariable("NAUTILUS_TEST_PG");
        Assert.False(string.IsNullOrEmpty(pg),
            "NAUTILUS_TEST_PG is not set: run tests/run.sh (it starts PostgreSQL), or start it with tests/tools/pg_start.sh and export the connection string " +
            "it prints.");
        _schema = $"c{Guid.NewGuid():N}"[..20];
        _admin = NpgsqlDataSource.Create(pg);
        await using (var create = _admin.CreateCommand($"CREATE SCHEMA {_schema}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        return new PostgresDeliveryStore(NpgsqlDataSource.Create($"{pg};Search Path={_schema}"), time);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_admin is not null)
        {
            await using (var drop = _admin.CreateCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE"))
            {
                await drop.ExecuteNonQueryAsync();
            }

            await _admin.DisposeAsync();
        }
    }
}
