using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nautilus.Testing;
using Nautilus.Webhooks.Tests.Support;
using Npgsql;

namespace Nautilus.Webhooks.Tests;

/// <summary>The service as users run it: a real process, killed with SIGKILL, and two replicas on one PostgreSQL.</summary>
[RealTool]
[Collection("processes")]
public sealed class ProcessTests
{
    private const string Secret = "process-test-secret";
    private const string Admin = "process-test-admin-token";

    private static readonly string[] FastRetries =
    [
        "--Nautilus:Webhooks:Worker:BaseDelay", "00:00:00.100",
        "--Nautilus:Webhooks:Worker:MaxDelay", "00:00:00.500",
        "--Nautilus:Webhooks:Worker:PollInterval", "00:00:00.100",
        "--Nautilus:Http:MaxRetries", "1",
        "--Nautilus:Http:BaseDelayMs", "10",
        "--Nautilus:Webhooks:LogLevel", "Warning",
    ];

    private static NetBoxFake WorkPackages(int count, int vmsEach)
    {
        var netBox = new NetBoxFake();
        var id = 1;
        for (var wp = 0; wp < count; wp++)
        {
            var tag = NetBoxObjects.Tag(1000 + wp, $"wp:wp{wp:00}");
            netBox.Add("extras/tags", [tag]);
            for (var i = 0; i < vmsEach; i++, id++)
            {
                netBox.Add("virtualization/virtual-machines", [NetBoxObjects.Vm(id, $"wp{wp:00}-vm{i}", "planned", tag)]);
            }
        }

        return netBox;
    }

    private static Dictionary<string, string> Environment(NetBoxFake netBox, string store) => new()
    {
        ["NAUTILUS_NETBOX_URL"] = netBox.Url,
        ["NAUTILUS_NETBOX_TOKEN"] = "0123456789abcdef0123456789abcdef01234567",
        ["NAUTILUS_WEBHOOK_SECRET"] = Secret,
        ["NAUTILUS_ADMIN_TOKEN"] = Admin,
        ["NAUTILUS_STORE"] = store,
        ["NAUTILUS_SYNC_ON"] = "merge",
    };

    private static async Task<HttpResponseMessage> PostMergeAsync(ServiceProcess service, int wp, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post,
            "/webhooks/gitlab") { Content = Payloads.Json(Payloads.Merged($"feature/wp{wp:00}", iid: wp + 1)) };
        request.Headers.Add("X-Gitlab-Event", "Merge Request Hook");
        request.Headers.Add("X-Gitlab-Token", Secret);
        request.Headers.Add("Idempotency-Key", key);
        return await service.Client.SendAsync(request);
    }

    private static async Task<List<JsonElement>> DeliveriesAsync(ServiceProcess service)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/deliveries?limit=1000");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Admin);
        using var response = await service.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
    }

    private static Task UntilAsync(Func<Task<bool>> condition, string what, ServiceProcess? service = null) =>
        Eventually.TrueAsync(condition, what, () => service?.Output ?? "");

    private static string StatusOf(JsonObject vm) => (string)vm["status"]!["value"]!;

    [Fact]
    public async Task KillNine_WhileProcessing_EveryAcknowledgedDeliveryIsProcessedAfterRestart()
    {
        using var netBox = WorkPackages(40, 2);
        netBox.Latency = TimeSpan.FromMilliseconds(40);
        var directory = Directory.CreateTempSubdirectory("nautilus-kill9-").FullName;
        var store = Path.Combine(directory, "queue.db");
        var acknowledged = new List<int>();

        await using (var first = await ServiceProcess.StartAsync(Environment(netBox, store), FastRetries))
        {
            var posting = Task.Run(async () =>
            {
                for (var wp = 0; wp < 40; wp++)
                {
                    try
                    {
                        using var response = await PostMergeAsync(first, wp, $"kill9-{wp}");
                        if (response.StatusCode == HttpStatusCode.Accepted)
                        {
                            lock (acknowledged)
                            {
                                acknowledged.Add(wp);
                            }
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the process is gone: this delivery was never acknowledged
                    }
                }
            });

            await UntilAsync(() => Task.FromResult(netBox.RequestsTo("PATCH", "/api/").Any()), "A first NetBox write", first);
            await first.KillAsync();
            await posting;
        }

        int activeAtKill;
        lock (acknowledged)
        {
            activeAtKill = netBox.VirtualMachines.Count(vm => StatusOf(vm) == "active");
            Assert.True(acknowledged.Count > 0, "no delivery was acknowledged before the kill");
            Assert.True(activeAtKill < acknowledged.Count * 2, "everything was processed before the kill; the test proves nothing");
        }

        await using var second = await ServiceProcess.StartAsync(Environment(netBox, store), FastRetries);
        List<int> expected;
        lock (acknowledged)
        {
            expected = [.. acknowledged];
        }

        await UntilAsync(
            () => Task.FromResult(expected.All(wp =>
                netBox.VirtualMachines.Where(vm => ((string)vm["name"]!).StartsWith($"wp{wp:00}-", StringComparison.Ordinal))
                .All(vm => StatusOf(vm) == "active"))),
            "Every acknowledged merge applied",
            second);
        await UntilAsync(async () => (await DeliveriesAsync(second)).All(d => d.GetProperty("status").GetString() == "done"), "Every delivery done", second);

        // A delivery committed just before the kill may not have reached the client: it is processed too, so
        // "done" can exceed what the client saw acknowledged, never fall short of it.
        var deliveries = await DeliveriesAsync(second);
        Assert.True(deliveries.Count >= expected.Count, $"{deliveries.Count} stored, {expected.Count} acknowledged");
        var journalPerObject = netBox.JournalEntries.GroupBy(e => (int)e["assigned_object_id"]!).ToList();
        Assert.Equal(deliveries.Count * 2, journalPerObject.Count);
        Assert.All(journalPerObject, g => Assert.Single(g));
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Startup_WithoutWebhookSecret_ExitsWithUsageCodeNamingTheVariable()
    {
        using var netBox = new NetBoxFake();
        var environment = Environment(netBox, Path.Combine(Path.GetTempPath(), $"nautilus-nosecret-{Guid.NewGuid():N}.db"));
        environment.Remove("NAUTILUS_WEBHOOK_SECRET");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServiceProcess.StartAsync(environment));

        Assert.Contains("exited with 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("NAUTILUS_WEBHOOK_SECRET", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.Message, StringComparison.Ordinal); // no stack trace
        Assert.DoesNotContain("Hosting failed", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// What an operator reads: the start (URLs, store, sync mode, version), each accepted delivery and each 400 at info
    /// level, a second process on the same port as one clean line with exit 1, and the stop on SIGTERM.
    /// </summary>
    [Fact]
    public async Task StartAndStop_LogWhatAnOperatorNeeds_PortInUseIsOneLineExit1()
    {
        using var netBox = WorkPackages(1, 1);
        var store = Path.Combine(Path.GetTempPath(), $"nautilus-startlog-{Guid.NewGuid():N}.db");
        await using var service = await ServiceProcess.StartAsync(Environment(netBox, store));

        await UntilAsync(() => Task.FromResult(service.Output.Contains("listening on", StringComparison.Ordinal)), "the start line", service);
        var start = service.Output.Split('\n').Single(l => l.Contains("listening on", StringComparison.Ordinal));
        Assert.Contains($"\"Urls\":\"{service.Url}\"", start, StringComparison.Ordinal);
        Assert.Contains($"\"Store\":\"SQLite {store}\"", start, StringComparison.Ordinal);
        Assert.Contains("\"SyncOn\":\"merge\"", start, StringComparison.Ordinal);
        Assert.Matches("\"Version\":\"\\d+\\.\\d+\\.\\d+", start);

        using (var accepted = await PostMergeAsync(service, 0, "start-log-1"))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Post,
            "/webhooks/gitlab") { Content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json") })
        {
            request.Headers.Add("X-Gitlab-Event", "Merge Request Hook");
            request.Headers.Add("X-Gitlab-Token", Secret);
            using var rejected = await service.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        }

        await UntilAsync(() => Task.FromResult(service.Output.Contains("Accepted delivery", StringComparison.Ordinal)
            && service.Output.Contains("Answered 400", StringComparison.Ordinal)), "the delivery lines", service);

        var other = Environment(netBox, Path.Combine(Path.GetTempPath(), $"nautilus-startlog-other-{Guid.NewGuid():N}.db"));
        var busy = await Assert.ThrowsAsync<InvalidOperationException>(() => ServiceProcess.StartAsync(other, "--urls", service.Url));
        Assert.Contains("exited with 1", busy.Message, StringComparison.Ordinal);
        Assert.Contains("nautilus-webhooks: cannot listen: ", busy.Message, StringComparison.Ordinal);
        Assert.Contains("address already in use", busy.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", busy.Message, StringComparison.Ordinal);

        Assert.Equal(0, await service.TerminateAsync());
        Assert.Contains("\"Stopping: no new deliveries are taken", service.Output, StringComparison.Ordinal);
        Assert.Contains("\"@m\":\"Stopped\"", service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_SigningTokenNotBase64_ExitsWithUsageCodeSayingWhatATokenLooksLike()
    {
        // Every Standard Webhooks signer base64-decodes the token, so with this one no delivery could ever pass.
        Assert.Throws<FormatException>(() => new StandardWebhooks.StandardWebhook("whsec_not base64!"));
        using var netBox = new NetBoxFake();
        var environment = Environment(netBox, Path.Combine(Path.GetTempPath(), $"nautilus-badsigning-{Guid.NewGuid():N}.db"));
        environment["NAUTILUS_WEBHOOK_SIGNING_TOKEN"] = "whsec_not base64!";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServiceProcess.StartAsync(environment));

        Assert.Contains("exited with 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("NAUTILUS_WEBHOOK_SIGNING_TOKEN", error.Message, StringComparison.Ordinal);
        Assert.Contains("whsec_ followed by base64", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not base64!", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_BranchingOnWithoutThePlugin_ExitsWith4NamingTheUrl()
    {
        using var netBox = new NetBoxFake();
        var environment = Environment(netBox, Path.Combine(Path.GetTempPath(), $"nautilus-branching-{Guid.NewGuid():N}.db"));
        environment["NAUTILUS_NETBOX_BRANCHING"] = "on";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServiceProcess.StartAsync(environment));

        Assert.Contains("exited with 4", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{netBox.Url}/api/plugins/branching/", error.Message, StringComparison.Ordinal);
        Assert.Contains("NAUTILUS_NETBOX_BRANCHING is on", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoReplicasOnPostgres_EachDeliveryWritesToNetBoxOnce()
    {
        var pg = System.Environment.GetEnvironmentVariable("NAUTILUS_TEST_PG");
        Assert.False(string.IsNullOrEmpty(pg),
            "NAUTILUS_TEST_PG is not set: run tests/run.sh (it starts PostgreSQL), or start it with tests/tools/pg_start.sh and export the connection string " +
            "it prints.");
        var schema = $"t{Guid.NewGuid():N}"[..20];
        await using (var connection = new NpgsqlConnection(pg))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await create.ExecuteNonQueryAsync();
        }

        using var netBox = WorkPackages(30, 2);
        netBox.Latency = TimeSpan.FromMilliseconds(10);
        var store = $"{pg};Search Path={schema}";
        await using var a = await ServiceProcess.StartAsync(Environment(netBox, store), FastRetries);
        await using var b = await ServiceProcess.StartAsync(Environment(netBox, store), FastRetries);

        // Every merge is delivered to both replicas (a resend landing elsewhere), in both orders.
        var answers = new List<HttpStatusCode>();
        for (var wp = 0; wp < 30; wp++)
        {
            var (one, two) = wp % 2 == 0 ? (a, b) : (b, a);
            using var first = await PostMergeAsync(one, wp, $"pg-{schema}-{wp}");
            using var second = await PostMergeAsync(two, wp, $"pg-{schema}-{wp}");
            answers.Add(first.StatusCode);
            answers.Add(second.StatusCode);
        }

        Assert.Equal(30, answers.Count(s => s == HttpStatusCode.Accepted));
        Assert.Equal(30, answers.Count(s => s == HttpStatusCode.OK));
        await UntilAsync(async () => (await DeliveriesAsync(a)).Count(d => d.GetProperty("status").GetString() == "done") == 30, "All 30 deliveries done", a);

        Assert.All(netBox.VirtualMachines, vm => Assert.Equal("active", StatusOf(vm)));
        var patchedIds = netBox.RequestsTo("PATCH", "/api/virtualization/virtual-machines/")
            .SelectMany(r => JsonNode.Parse(r.RequestMessage.Body!)!.AsArray().Select(c => (int)c!["id"]!)).ToList();
        Assert.Equal(60, patchedIds.Count);
        Assert.Equal(60, patchedIds.Distinct().Count());
        Assert.Equal(60, netBox.JournalEntries.Count);
        Assert.Equal(60, netBox.JournalEntries.Select(e => (int)e["assigned_object_id"]!).Distinct().Count());
    }
    [Fact]
    public async Task KillNineOneOfTwoReplicasOnPostgres_ItsLeasesAreTakenOverWithinAMinute_EachEffectOnce()
    {
        var pg = System.Environment.GetEnvironmentVariable("NAUTILUS_TEST_PG");
        Assert.False(string.IsNullOrEmpty(pg),
            "NAUTILUS_TEST_PG is not set: run tests/run.sh (it starts PostgreSQL), or start it with tests/tools/pg_start.sh and export the connection string " +
            "it prints.");
        var schema = $"t{Guid.NewGuid():N}"[..20];
        await using var database = NpgsqlDataSource.Create(pg);
        await using (var create = database.CreateCommand($"CREATE SCHEMA {schema}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        const int Merges = 200;
        const long Project = 1534233; // Payloads.Merged's target project
        using var netBox = WorkPackages(Merges, 2);
        netBox.Latency = TimeSpan.FromMilliseconds(40);
        using var gitLab = new GitLabFake();
        gitLab.WithUser(5, "nautilus-bot", "glpat-replica-test-token-0001", bot: true).WithProject(Project, "infra/dc");
        for (var wp = 0; wp < Merges; wp++)
        {
            gitLab.WithMergeRequest(Project, wp + 1, $"feature/wp{wp:00}");
        }

        var environment = Environment(netBox, $"{pg};Search Path={schema}");
        environment["NAUTILUS_GITLAB_URL"] = gitLab.Url;
        environment["NAUTILUS_GITLAB_TOKEN"] = "glpat-replica-test-token-0001";

        // The default lease (30 s) and heartbeat (10 s): the product's own timing is what is tested.
        await using var doomed = await ServiceProcess.StartAsync(environment, FastRetries);
        await using var survivor = await ServiceProcess.StartAsync(environment, FastRetries);
        for (var wp = 0; wp < Merges; wp++)
        {
            using var response = await PostMergeAsync(wp % 2 == 0 ? doomed : survivor, wp, $"replicas-{schema}-{wp}");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        // Kill the doomed replica while it holds leases, late enough that what is left is mostly its work.
        var doomedOwners = $"{System.Environment.MachineName}/{doomed.ProcessId}/%";
        async Task<(long Done, long HeldByDoomed)> QueueAsync()
        {
            await using var query = database.CreateCommand(
                $"SELECT COUNT(*) FILTER (WHERE status = 'done'), COUNT(*) FILTER (WHERE status = 'processing' AND lease_owner LIKE $1) FROM " +
                    $"{schema}.nautilus_deliveries");
            query.Parameters.AddWithValue(doomedOwners);
            await using var reader = await query.ExecuteReaderAsync();
            await reader.ReadAsync();
            return (reader.GetInt64(0), reader.GetInt64(1));
        }

        await Eventually.TrueAsync(async () => await QueueAsync() is { Done: >= Merges * 3 / 4, HeldByDoomed: > 0 },
            "three quarters done while the doomed replica holds a lease", () => doomed.Output);
        await doomed.KillAsync();
        var orphaned = (await QueueAsync()).HeldByDoomed;
        Assert.True(orphaned > 0, "the killed replica held no lease; the test proves nothing");

        await Eventually.TrueAsync(
            async () => (await QueueAsync()).Done == Merges,
            $"every delivery applied after the kill ({orphaned} held by the killed replica)",
            () => survivor.Output,
            bound: TimeSpan.FromSeconds(60));

        Assert.All(netBox.VirtualMachines, vm => Assert.Equal("active", StatusOf(vm)));
        Assert.Equal(Merges * 2, netBox.JournalEntries.Count);
        Assert.Equal(Merges * 2, netBox.JournalEntries.Select(e => (int)e["assigned_object_id"]!).Distinct().Count());
        Assert.All(Enumerable.Range(1, Merges), iid => Assert.Single(gitLab.NotesOf(Project, iid)));
        await using (var takenOver = database.CreateCommand($"SELECT COUNT(*) FROM {schema}.nautilus_deliveries WHERE attempts > 1"))
        {
            Assert.True((long)(await takenOver.ExecuteScalarAsync())! >= orphaned, "the killed replica's deliveries were not leased a second time");
        }
    }
}
