using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Nautilus.Webhooks.Queue;

/// <summary>
/// The default store: one SQLite file in WAL mode with synchronous=FULL, so a commit is on disk before the
/// delivery is acknowledged. Concurrent deliveries are committed together (group commit: one fsync for a batch),
/// which is what lets one file sustain thousands of durable acknowledgements a second. One process owns the file
/// (a lock file enforces it); use PostgreSQL for several replicas.
/// </summary>
public sealed class SqliteDeliveryStore : IDeliveryStore, IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly string _path;
    private readonly string _connectionString;
    private readonly string _readConnectionString;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteDeliveryStore> _logger;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Channel<PendingInsert> _inserts = Channel.CreateUnbounded<PendingInsert>(new UnboundedChannelOptions { SingleReader = true });
    private SqliteConnection? _writer;
    private FileStream? _ownerLock;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _batcher;
    private Task? _checkpointer;

    private readonly string _synchronous;

    public SqliteDeliveryStore(string path, TimeProvider time, ILogger<SqliteDeliveryStore> logger, string synchronous = "FULL")
    {
        _synchronous = synchronous == "NORMAL" ? "NORMAL" : "FULL";
        _path = Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = _path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false,
            DefaultTimeout = 30 }.ToString();
        _readConnectionString = new SqliteConnectionStringBuilder { DataSource = _path, Mode = SqliteOpenMode.ReadWrite, Pooling = true,
            DefaultTimeout = 30 }.ToString();
        _time = time;
        _logger = logger;
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);

            // Leases in this file are this process's alone: a second service on the same file would take over the
            // first one's leases at startup. An exclusive lock file makes that a startup error instead; the kernel
            // drops it when the process dies, kill -9 included.
            _ownerLock = new FileStream(_path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new StoreUnavailableException(
                $"SQLite store {_path} is in use by another nautilus-webhooks process (or its directory is not writable): {ex.Message.TrimEnd('.')}. Run one " +
                    $"process per SQLite file, or set NAUTILUS_STORE to a PostgreSQL connection string for several replicas.",
                ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new StoreUnavailableException($"SQLite store {_path} cannot be created: {ex.Message}. Point NAUTILUS_STORE at a writable path.", ex);
        }

        await WithWriterAsync(async connection =>
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS nautilus_deliveries (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  dedup_key TEXT NOT NULL UNIQUE,
                  event TEXT NOT NULL,
                  kind TEXT NOT NULL,
                  body BLOB NOT NULL,
                  status TEXT NOT NULL,
                  attempts INTEGER NOT NULL DEFAULT 0,
                  received_at INTEGER NOT NULL,
                  due_at INTEGER NOT NULL,
                  lease_owner TEXT,
                  lease_until INTEGER,
                  progress TEXT,
                  last_error TEXT,
                  completed_at INTEGER
                );
                CREATE INDEX IF NOT EXISTS nautilus_deliveries_due ON nautilus_deliveries (status, due_at);
                """, cancellationToken).ConfigureAwait(false);

            // Nobody else may use this file (see the lock above), so leases held here belong to a process that died.
            var reclaimed = await ExecuteAsync(connection,
                "UPDATE nautilus_deliveries SET status = 'pending', lease_owner = NULL, lease_until = NULL WHERE status = 'processing'", cancellationToken)
                .ConfigureAwait(false);
            if (reclaimed > 0)
            {
                _logger.LogWarning("Reclaimed {Count} deliveries whose processing was interrupted by the previous process", reclaimed);
            }

            return 0;
        }, cancellationToken).ConfigureAwait(false);

        _batcher = Task.Run(BatchInsertsAsync, CancellationToken.None);
        _checkpointer = Task.Run(CheckpointAsync, CancellationToken.None);
    }

    public async Task<EnqueueResult> EnqueueAsync(NewDelivery delivery, CancellationToken cancellationToken)
    {
        var pending = new PendingInsert(delivery, new TaskCompletionSource<EnqueueResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_inserts.Writer.TryWrite(pending))
        {
            throw new StoreUnavailableException("The SQLite store is shutting down.");
        }

        // Once handed over, the insert commits or fails as a whole batch; the caller waits for that outcome.
        return await pending.Result.Task.ConfigureAwait(false);
    }

    public Task<IReadOnlyList<LeasedDelivery>> LeaseAsync(string owner, int max, TimeSpan lease, CancellationToken cancellationToken) =>
        WithWriterAsync<IReadOnlyList<LeasedDelivery>>(async connection =>
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                UPDATE nautilus_deliveries
                   SET status = 'processing', lease_owner = $owner, lease_until = $until, attempts = attempts + 1
                 WHERE id IN (SELECT id FROM nautilus_deliveries
                               WHERE (status = 'pending' AND due_at <= $now) OR (status = 'processing' AND lease_until < $now)
                               ORDER BY due_at, id LIMIT $max)
                RETURNING id, dedup_key, event, kind, body, attempts, progress, received_at
                """;
            command.Parameters.AddWithValue("$owner", owner);
            command.Parameters.AddWithValue("$until", now + (long)lease.TotalMilliseconds);
            command.Parameters.AddWithValue("$now", now);
            command.Parameters.AddWithValue("$max", max);
            var leased = new List<LeasedDelivery>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                leased.Add(new LeasedDelivery(
                    reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), (byte[])reader.GetValue(4),
                    reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetString(6), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7))));
            }

            return leased.OrderBy(d => d.Id).ToList();
        }, cancellationToken);

    public Task<bool> RenewLeaseAsync(long id, string owner, TimeSpan lease, CancellationToken cancellationToken) =>
        FencedAsync(id, owner, $"lease_until = {(_time.GetUtcNow() + lease).ToUnixTimeMilliseconds()}", null, cancellationToken);

    public Task<bool> SaveProgressAsync(long id, string owner, string progress, CancellationToken cancellationToken) =>
        FencedAsync(id, owner, "progress = $value", progress, cancellationToken);

    public Task<bool> CompleteAsync(long id, string owner, CancellationToken cancellationToken) =>
        FencedAsync(id, owner, "status = 'done', lease_owner = NULL, lease_until = NULL, last_error = NULL, completed_at = $now", null, cancellationToken);

    public Task<bool> RetryLaterAsync(long id, string owner, DateTimeOffset due, string error, CancellationToken cancellationToken) =>
        FencedAsync(id, owner, $"status = 'pending', lease_owner = NULL, lease_until = NULL, last_error = $value, due_at = {due.ToUnixTimeMilliseconds()}",
            error, cancellationToken);

    public Task<bool> DeadLetterAsync(long id, string owner, string reason, CancellationToken cancellationToken) =>
        FencedAsync(id, owner, "status = 'failed', lease_owner = NULL, lease_until = NULL, last_error = $value, completed_at = $now", reason,
            cancellationToken);

    public Task<bool> RequeueAsync(long id, bool acknowledgeConflicts, CancellationToken cancellationToken) =>
        WithWriterAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE nautilus_deliveries SET status = 'pending', attempts = 0, due_at = $now, completed_at = NULL"
                + (acknowledgeConflicts ? $", progress = json_set(coalesce(progress, '{{}}'), '$.{DeliveryProgress.AcknowledgeConflicts}', json('true'))" : "")
                + " WHERE id = $id AND (status = 'failed' OR (status = 'pending' AND attempts > 0))";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken);

    public async Task<IReadOnlyList<DeliverySummary>> ListAsync(string? status, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SummaryColumns} FROM nautilus_deliveries {(status is null ? "" : "WHERE status = $status")} ORDER BY id DESC LIMIT " +
            $"$limit";
        if (status is not null)
        {
            command.Parameters.AddWithValue("$status", status);
        }

        command.Parameters.AddWithValue("$limit", limit);
        return await ReadSummariesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DeliverySummary?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SummaryColumns} FROM nautilus_deliveries WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return (await ReadSummariesAsync(command, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    public async Task<IReadOnlyDictionary<string, long>> CountByStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT status, COUNT(*) FROM nautilus_deliveries GROUP BY status";
        var counts = DeliveryStatus.All.ToDictionary(s => s, _ => 0L, StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        WithWriterAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM nautilus_deliveries WHERE status = 'done' AND completed_at < $before";
            command.Parameters.AddWithValue("$before", before.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM nautilus_deliveries WHERE id = 0";
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw new StoreUnavailableException($"SQLite store {_path} cannot be read: {ex.Message}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _inserts.Writer.TryComplete();
        if (_batcher is not null)
        {
            await _batcher.ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_checkpointer is not null)
        {
            await _checkpointer.ConfigureAwait(false);
        }

        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_writer is not null)
            {
                await _writer.DisposeAsync().ConfigureAwait(false);
                _writer = null;
            }
        }
        finally
        {
            _writeLock.Release();
        }

        SqliteConnection.ClearAllPools();
        if (_ownerLock is not null)
        {
            await _ownerLock.DisposeAsync().ConfigureAwait(false);
        }
    }

    private const string SummaryColumns = "id, dedup_key, event, kind, status, attempts, received_at, due_at, completed_at, last_error";

    private static async Task<IReadOnlyList<DeliverySummary>> ReadSummariesAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var list = new List<DeliverySummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new DeliverySummary(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
                reader.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
                reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return list;
    }

    private Task<bool> FencedAsync(long id, string owner, string set, string? value, CancellationToken cancellationToken) =>
        WithWriterAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE nautilus_deliveries SET {set} WHERE id = $id AND lease_owner = $owner AND status = 'processing'";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$owner", owner);
            command.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$value", (object?)value ?? DBNull.Value);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken);

    private async Task BatchInsertsAsync()
    {
        var batch = new List<PendingInsert>(MaxBatch);
        while (await _inserts.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _inserts.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                var results = await WithWriterAsync(connection => InsertBatchAsync(connection, batch), CancellationToken.None).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Result.TrySetResult(results[i]);
                }
            }
            catch (Exception ex)
            {
                var failure = ex as StoreUnavailableException ?? new StoreUnavailableException($"SQLite store {_path} could not commit: {ex.Message}", ex);
                foreach (var item in batch)
                {
                    item.Result.TrySetException(failure);
                }
            }
        }
    }

    /// <summary>
    /// SQLite's automatic checkpoint runs inside the commit that crosses the threshold, so one acknowledgement in a
    /// thousand would wait for the copy into the main file and its fsync. Checkpointing from here (PASSIVE: it never
    /// blocks the writer) keeps that off the request path; durability is unchanged, the WAL commit is already on disk.
    /// </summary>
    private async Task CheckpointAsync()
    {
        try
        {
            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(_stopping.Token).ConfigureAwait(false);
            await ExecuteAsync(connection, "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;", _stopping.Token).ConfigureAwait(false);
            while (!_stopping.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _time, _stopping.Token).ConfigureAwait(false);
                try
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                    await command.ExecuteNonQueryAsync(_stopping.Token).ConfigureAwait(false);
                }
                catch (SqliteException ex)
                {
                    _logger.LogWarning(ex, "WAL checkpoint of {Path} failed; retrying in a second", _path);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SqliteException ex)
        {
            _logger.LogError(ex, "The WAL checkpointer of {Path} stopped; SQLite checkpoints are off until restart", _path);
        }
    }

    private static async Task<EnqueueResult[]> InsertBatchAsync(SqliteConnection connection, List<PendingInsert> batch)
    {
        var results = new EnqueueResult[batch.Count];
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync().ConfigureAwait(false);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO nautilus_deliveries (dedup_key, event, kind, body, status, received_at, due_at)
            VALUES ($key, $event, $kind, $body, 'pending', $received, $received)
            ON CONFLICT (dedup_key) DO NOTHING
            RETURNING id
            """;
        var key = insert.Parameters.Add("$key", SqliteType.Text);
        var evt = insert.Parameters.Add("$event", SqliteType.Text);
        var kind = insert.Parameters.Add("$kind", SqliteType.Text);
        var body = insert.Parameters.Add("$body", SqliteType.Blob);
        var received = insert.Parameters.Add("$received", SqliteType.Integer);
        await using var existing = connection.CreateCommand();
        existing.Transaction = transaction;
        existing.CommandText = "SELECT id FROM nautilus_deliveries WHERE dedup_key = $key";
        var existingKey = existing.Parameters.Add("$key", SqliteType.Text);

        for (var i = 0; i < batch.Count; i++)
        {
            var d = batch[i].Delivery;
            key.Value = d.DedupKey;
            evt.Value = d.Event;
            kind.Value = d.Kind;
            body.Value = d.Body;
            received.Value = d.ReceivedAt.ToUnixTimeMilliseconds();
            if (await insert.ExecuteScalarAsync().ConfigureAwait(false) is long id)
            {
                results[i] = new EnqueueResult(id, Duplicate: false);
            }
            else
            {
                existingKey.Value = d.DedupKey;
                results[i] = new EnqueueResult((long)(await existing.ExecuteScalarAsync().ConfigureAwait(false))!, Duplicate: true);
            }
        }

        await transaction.CommitAsync().ConfigureAwait(false);
        return results;
    }

    private async Task<T> WithWriterAsync<T>(Func<SqliteConnection, Task<T>> action, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_writer is null)
            {
                var connection = new SqliteConnection(_connectionString);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

                // WAL lets readers (admin, metrics, readiness) run beside the writer; synchronous=FULL makes every
                // commit durable before we acknowledge (NORMAL may lose the last commits on power loss).
                await ExecuteAsync(connection,
                    $"PRAGMA journal_mode=WAL; PRAGMA synchronous={_synchronous}; PRAGMA busy_timeout=30000; PRAGMA wal_autocheckpoint=0;", cancellationToken)
                    .ConfigureAwait(false);
                _writer = connection;
            }

            return await action(_writer).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            // A broken handle (file removed, disk full) is reopened on the next write.
            if (_writer is not null)
            {
                await _writer.DisposeAsync().ConfigureAwait(false);
                _writer = null;
            }

            throw new StoreUnavailableException($"SQLite store {_path} failed: {ex.Message}", ex);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_readConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (SqliteException ex)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new StoreUnavailableException($"SQLite store {_path} cannot be opened: {ex.Message}", ex);
        }
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private sealed record PendingInsert(NewDelivery Delivery, TaskCompletionSource<EnqueueResult> Result);
}
