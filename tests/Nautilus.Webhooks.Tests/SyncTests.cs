using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nautilus.Testing;
using Nautilus.Webhooks.Queue;
using Nautilus.Webhooks.Tests.Support;

namespace Nautilus.Webhooks.Tests;

/// <summary>What the worker does to NetBox for each event, and how it behaves when NetBox misbehaves.</summary>
public sealed class SyncTests
{
    private static readonly JsonObject WpTag = NetBoxObjects.Tag(11, "wp:dc1-refresh");
    private static readonly JsonObject OtherTag = NetBoxObjects.Tag(13, "priority:high");

    private static NetBoxFake WorkPackage(int planned = 3)
    {
        var netBox = new NetBoxFake();
        netBox.Add("extras/tags", [WpTag.DeepClone(), OtherTag.DeepClone()]);
        netBox.Add("virtualization/virtual-machines",
            Enumerable.Range(1, planned).Select(i => (JsonNode?)NetBoxObjects.Vm(i, $"web-{i:00}", "planned", WpTag, OtherTag)));
        netBox.Add("virtualization/virtual-machines", [NetBoxObjects.Vm(50, "db-01", "active", WpTag), NetBoxObjects.Vm(51, "other-01", "planned", OtherTag)]);
        netBox.Add("dcim/devices", [NetBoxObjects.Device(70, "leaf-01", "planned", WpTag)]);
        return netBox;
    }

    private static readonly Dictionary<string, string?> SyncOnMerge = new() { ["Nautilus:Webhooks:SyncOn"] = "merge" };

    private static string StatusOf(NetBoxFake netBox, string collection, int id) => (string)netBox.Find(collection, id)!["status"]!["value"]!;

    [Fact]
    public async Task Merge_FlipsPlannedToActiveInBulk_WithJournalEntriesLinkingTheMr()
    {
        using var netBox = WorkPackage();
        await using var app = new WebhooksApp(netBox, SyncOnMerge);

        var id = await app.AcceptAsync("Merge Request Hook", Payloads.Merged("feature/dc1-refresh", iid: 42));
        await app.WaitForAsync(id);

        Assert.All(new[] { 1, 2, 3 }, vm => Assert.Equal("active", StatusOf(netBox, "virtualization/virtual-machines", vm)));
        Assert.Equal("active", StatusOf(netBox, "dcim/devices", 70));
        Assert.Equal("planned", StatusOf(netBox, "virtualization/virtual-machines", 51));
        Assert.Equal(2, netBox.RequestsTo("PATCH", "/api/").Count());
        Assert.All(new[] { 1, 2, 3 }, vm => Assert.Equal(2, netBox.Find("virtualization/virtual-machines", vm)!["tags"]!.AsArray().Count));
        var journal = netBox.JournalEntries;
        Assert.Equal(4, journal.Count);
        Assert.All(journal, e => Assert.Contains("https://gitlab.example.com/infra/dc/-/merge_requests/42", (string)e["comments"]!, StringComparison.Ordinal));
        Assert.Equal(
            [("dcim.device", 70), ("virtualization.virtualmachine", 1), ("virtualization.virtualmachine", 2), ("virtualization.virtualmachine", 3)],
            journal.Select(e => ((string)e["assigned_object_type"]!, (int)e["assigned_object_id"]!)).Order().ToList());
    }

    [Fact]
    public async Task Merge_SameDeliveryThreeTimes_HasOneEffect()
    {
        using var netBox = WorkPackage();
        await using var app = new WebhooksApp(netBox, SyncOnMerge);
        var body = Payloads.Merged("feature/dc1-refresh");

        var id = await app.AcceptAsync("Merge Request Hook", body, idempotencyKey: "a5461c4d-9c7f-4af9-add6-cddebe3c426f");
        await app.WaitForAsync(id);
        for (var i = 0; i < 2; i++)
        {
            using var again = await app.PostAsync("Merge Request Hook", body, idempotencyKey: "a5461c4d-9c7f-4af9-add6-cddebe3c426f");
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        Assert.Single(await app.Store.ListAsync(null, 10, CancellationToken.None));
        Assert.Equal(4, netBox.JournalEntries.Count);
        Assert.Equal(2, netBox.RequestsTo("PATCH", "/api/").Count());
    }

    [Fact]
    public async Task Merge_ResentWithNewIdempotencyKey_ConvergesWithoutNewWrites()
    {
        using var netBox = WorkPackage();
        await using var app = new WebhooksApp(netBox, SyncOnMerge);
        var body = Payloads.Merged("feature/dc1-refresh");

        await app.WaitForAsync(await app.AcceptAsync("Merge Request Hook", body));
        var writes = netBox.Writes.Count();
        await app.WaitForAsync(await app.AcceptAsync("Merge Request Hook", body));

        Assert.Equal(writes, netBox.Writes.Count());
        Assert.Equal(4, netBox.JournalEntries.Count);
    }

    [Fact]
    public async Task Merge_NetBoxAnswers503ForAWhile_EverythingAppliedAfterRecovery()
    {
        using var netBox = WorkPackage();
        netBox.FailNext(6, HttpStatusCode.ServiceUnavailable, "<html>503 Service Unavailable</html>", retryAfter: "0");
        await using var app = new WebhooksApp(netBox, SyncOnMerge);

        var id = await app.AcceptAsync("Merge Request Hook", Payloads.Merged("feature/dc1-refresh"));
        var done = await app.WaitForAsync(id);

        Assert.True(done.Attempts > 1);
        Assert.All(new[] { 1, 2, 3 }, vm => Assert.Equal("active", StatusOf(netBox, "virtualization/virtual-machines", vm)));
        Assert.Equal(4, netBox.JournalEntries.Count);
    }

    [Fact]
    public async Task Merge_FailureAfterJournalCommit_ResumesWithoutDuplicateEntries()
    {
        using var netBox = WorkPackage();

        // NetBox commits the journal entries but the answer is lost (a 502 from the proxy after a slow commit is the same).
        netBox.FailNext(2, HttpStatusCode.BadGateway, pathContains: "/api/extras/journal-entries/", delay: TimeSpan.Zero);
        await using var app = new WebhooksApp(netBox, SyncOnMerge);

        var id = await app.AcceptAsync("Merge Request Hook", Payloads.Merged("feature/dc1-refresh"));
        await app.WaitForAsync(id);

        Assert.Equal(4, netBox.JournalEntries.Count);
        Assert.Equal(4, netBox.JournalEntries.Select(e => (int)e["assigned_object_id"]!).Distinct().Count());
    }

    [Fact]
    public async Task Merge_NetBoxValidationError_IsDeadLetteredWithReason_AndAdminRetryProcessesIt()
    {
        using var netBox = WorkPackage();
        netBox.FailNext(1, HttpStatusCode.BadRequest, "{\"status\": [\"\\\"active\\\" is not a valid choice.\"]}",
            pathContains: "/api/virtualization/virtual-machines/", delay: null);
        await using var app = new WebhooksApp(netBox, SyncOnMerge);

        var id = await app.AcceptAsync("Merge Request Hook", Payloads.Merged("feature/dc1-refresh"));
        var failed = await app.WaitForAsync(id, DeliveryStatus.Failed);

        Assert.Contains("is not a valid choice", failed.LastError, StringComparison.Ordinal);
        Assert.Equal(1, failed.Attempts);
        var admin = app.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", WebhooksApp.AdminToken);
        var listed = await admin.GetFromJsonAsync<JsonElement>("/deliveries?status=failed");
        Assert.Equal(id, listed[0].GetProperty("id").GetInt64());
        Assert.Contains("is not a valid choice", listed[0].GetProperty("lastError").GetString(), StringComparison.Ordinal);

        using var retry = await admin.PostAsync($"/deliveries/{id}/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        await app.WaitForAsync(id);
        Assert.Equal("active", StatusOf(netBox, "virtualization/virtual-machines", 1));
        using var again = await admin.PostAsync($"/deliveries/{id}/retry", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/deliveries/99999/retry", null)).StatusCode);
    }

    /// <summary>A delivery waiting an hour in back-off (NetBox was down, or a token wrong) is retried at once by the admin retry.</summary>
    [Fact]
    public async Task Merge_WaitingInBackOff_AdminRetryRunsItNow()
    {
        using var netBox = WorkPackage();
        netBox.FailNext(2, HttpStatusCode.ServiceUnavailable, pathContains: "/api/virtualization/virtual-machines/", delay: null);
        await using var app = new WebhooksApp(netBox, new Dictionary<string, string?>(SyncOnMerge)
        {
            ["Nautilus:Webhooks:Worker:BaseDelay"] = "01:00:00",
            ["Nautilus:Webhooks:Worker:MaxDelay"] = "02:00:00",
        });

        var id = await app.AcceptAsync("Merge Request Hook", Payloads.Merged("feature/dc1-refresh"));
        var waiting = await Eventually.ValueAsync(
            () => app.Store.GetAsync(id, CancellationToken.None),
            d => d is { Status: DeliveryStatus.Pending, Attempts: 1, LastError: not null },
            $"delivery {id} waiting in back-off",
            last => $"last seen: {last}");
        Assert.Contains("503", waiting!.LastError, StringComparison.Ordinal);
        Assert.Equal("planned", StatusOf(netBox, "virtualization/virtual-machines", 1));

        var admin = app.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", WebhooksApp.AdminToken);
        using var retry = await admin.PostAsync($"/deliveries/{id}/retry", null);

        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        await app.WaitForAsync(id);
        Assert.Equal("active", StatusOf(netBox, "virtualization/virtual-machines", 1));
        Assert.Equal(4, netBox.JournalEntries.Count);
    }

    [Fact]
    public async Task Merge_IntoAnotherBranch_IsIgnored()
    {
        using var netBox = WorkPackage();
        await using var app = new WebhooksApp(netBox, SyncOnMerge);

        using var response = await app.PostAsync("Merge Request Hook", Payloads.Merged("feature/dc1-refresh", target: "release/1.0"));

        Assert.Equal("ignored", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(0, netBox.RequestCount);
    }

    [Fact]
    public async Task Merge_UnknownWorkPackageTag_CompletesWithoutWrites()
    {
        using var netBox = WorkPackage();
        await using var app = new WebhooksApp(netBox, SyncOnMerge);

        await app.WaitForAsync(await app.AcceptAsync("Merge Request Hook", Payloads.Merged("feature/never-tagged")));

        Assert.Empty(netBox.Writes);
    }

    [Fact]
    public async Task BranchCreated_EnsuresTheWorkPackageTag()
    {
        using var netBox = WorkPackage();
        await using var app = new WebhooksApp(netBox);

        await app.WaitForAsync(await app.AcceptAsync("Push Hook", Payloads.BranchCreated("feature/q4-upgrade")));
        await app.WaitForAsync(await app.AcceptAsync("Push Hook",
            Payloads.BranchCreated("feature/q4-upgrade", commit: "1111111111111111111111111111111111111111")));

        var tag = Assert.Single(netBox.Tags, t => (string?)t["name"] == "wp:q4-upgrade");
        Assert.Equal("wp-q4-upgrade", (string?)tag["slug"]);
    }

    [Fact]
    public async Task Deploy_WithoutCommittedManifest_MergeJournalsEachObject_ApplyFlipsThatWaveOnly()
    {
        using var netBox = WorkPackage();
        netBox.Find("virtualization/virtual-machines", 1)!.WithWave("network-foundation");
        netBox.Find("virtualization/virtual-machines", 2)!.WithWave("database");
        await using var app = new WebhooksApp(netBox);

        await app.WaitForAsync(await app.AcceptAsync("Merge Request Hook", Payloads.Merged("feature/dc1-refresh", iid: 42)));

        // SyncOn=deploy is the default: the merge changes no status, and names the MR on each planned object.
        Assert.All(new[] { 1, 2, 3 }, vm => Assert.Equal("planned", StatusOf(netBox, "virtualization/virtual-machines", vm)));
        Assert.Empty(netBox.RequestsTo("PATCH", "/api/"));
        Assert.Equal(4, netBox.JournalEntries.Count);
        Assert.All(netBox.JournalEntries, e => Assert.Contains("merge_requests/42", (string)e["comments"]!, StringComparison.Ordinal));

        await app.WaitForAsync(await app.AcceptAsync("Pipeline Hook", Payloads.PipelineApplied("dc1-refresh", "network-foundation")));

        Assert.Equal("active", StatusOf(netBox, "virtualization/virtual-machines", 1));
        Assert.Equal("planned", StatusOf(netBox, "virtualization/virtual-machines", 2));
        Assert.Equal("planned", StatusOf(netBox, "virtualization/virtual-machines", 3));
        var entry = Assert.Single(netBox.JournalEntries, e => (string?)e["kind"]!["value"] == "success");
        Assert.Equal(1, (int)entry["assigned_object_id"]!);
        Assert.Contains("wave network-foundation", (string)entry["comments"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_PipelineHookUnderSyncOnMerge_IsIgnored()
    {
        using var netBox = WorkPackage();
        await using var app = new WebhooksApp(netBox, SyncOnMerge);

        using var response = await app.PostAsync("Pipeline Hook", Payloads.PipelineApplied("dc1-refresh", "default"));

        Assert.Equal("ignored", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(0, netBox.RequestCount);
    }

    [Fact]
    public async Task Deploy_ObjectWithTwoWaveTags_IsReportedAsThePipelineReportsIt()
    {
        using var netBox = WorkPackage();
        var web = NetBoxObjects.Tag(20, "wave:web");
        var db = NetBoxObjects.Tag(21, "wave:db");
        netBox.Add("extras/tags", [web.DeepClone(), db.DeepClone()]);
        var vm = netBox.Find("virtualization/virtual-machines", 1)!;
        vm["tags"] = NetBoxObjects.Vm(1, "web-01", "planned", WpTag, web, db)["tags"]!.DeepClone();
        await using var app = new WebhooksApp(netBox);

        var id = await app.AcceptAsync("Pipeline Hook", Payloads.PipelineApplied("dc1-refresh", "web"));
        var failed = await app.WaitForAsync(id, DeliveryStatus.Failed);

        // The pipeline's planner refuses this object with exit 3; the webhook refuses it with the same words.
        var pipeline = Assert.Throws<Nautilus.Core.NautilusException>(() => Nautilus.Core.Planning.Planner.Plan(
            new Nautilus.Core.NetBox.NetBoxSnapshot
            {
                VirtualMachines = [System.Text.Json.JsonSerializer.Deserialize<Nautilus.Core.NetBox.VirtualMachine>(vm.ToJsonString())!],
            },
            "dc1-refresh",
            "test"));
        var problem = Assert.Single(pipeline.Details);
        Assert.Contains("several wave tags (wave:web, wave:db)", problem, StringComparison.Ordinal);
        Assert.Contains(problem, failed.LastError, StringComparison.Ordinal);
        Assert.Equal(1, failed.Attempts);
        Assert.Empty(netBox.Writes);
    }

    [Fact]
    public async Task Deploy_FailedApplyJobWithoutGitLab_ChangesNothingInNetBox()
    {
        using var netBox = WorkPackage();
        await using var app = new WebhooksApp(netBox);

        await app.WaitForAsync(await app.AcceptAsync("Pipeline Hook", Payloads.PipelineApplied("dc1-refresh", "default", status: "failed")));

        Assert.Empty(netBox.Writes);
        Assert.All(new[] { 1, 2, 3 }, vm => Assert.Equal("planned", StatusOf(netBox, "virtualization/virtual-machines", vm)));
    }
}
