using System.Text.Json.Nodes;
using Nautilus.Testing;
using Nautilus.Webhooks.Queue;
using Nautilus.Webhooks.Tests.Support;

namespace Nautilus.Webhooks.Tests;

/// <summary>The service with netbox-branching: the work package's NetBox branch follows its GitLab branch.</summary>
public sealed class BranchingTests
{
    private const long Project = 7;
    private const string Token = "glpat-service-token-0123456789";
    private const string Commit = "abc123abc123abc123abc123abc123abc123abc1";
    private const string Vms = "virtualization/virtual-machines";

    private const string Document = """
        ---
        netbox:
          virtual_machines:
            - name__isw: web-
        ---
        # DC1 refresh
        """;

    private static (NetBoxFake NetBox, GitLabFake GitLab) World()
    {
        var netBox = new NetBoxFake().WithBranching();
        netBox.Add(Vms, [NetBoxObjects.Vm(1, "web-01", "planned"), NetBoxObjects.Vm(2, "web-02", "planned"), NetBoxObjects.Vm(3, "mail-01", "planned")]);
        var gitLab = new GitLabFake();
        gitLab.WithUser(5, "nautilus-bot", Token, bot: true).WithProject(Project, "infra/dc")
            .WithFile(Project, Commit, "docs/work-packages/dc1-refresh.md", Document);
        return (netBox, gitLab);
    }

    private static Dictionary<string, string?> Settings(GitLabFake gitLab, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["Nautilus:GitLab:Url"] = gitLab.Url, ["Nautilus:GitLab:Token"] = Token };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static string[] TagsOf(JsonObject o) => o["tags"]!.AsArray().Select(t => (string)t!["name"]!).Order().ToArray();

    [Fact]
    public async Task BranchCreated_MakesTheNetBoxBranch_WaitsUntilReady_AndTagsInsideIt()
    {
        var (netBox, gitLab) = World();
        using var _ = netBox;
        using var __ = gitLab;
        netBox.ProvisioningPolls = 3;
        await using var app = new WebhooksApp(netBox, Settings(gitLab));

        var id = await app.AcceptAsync("Push Hook", Payloads.BranchCreated("feature/dc1-refresh", commit: Commit, projectId: Project));
        var done = await app.WaitForAsync(id);

        var branch = Assert.Single(netBox.Branches);
        Assert.Equal("dc1-refresh", branch.Name);
        Assert.Equal("ready", branch.Status);
        Assert.Contains("GitLab branch feature/dc1-refresh https://gitlab.com/eeshangarg/my-awesome-project/-/tree/feature/dc1-refresh", branch.Description,
            StringComparison.Ordinal);
        Assert.True(done.Attempts > 1, "the delivery should have been retried while the branch was provisioning");

        // Inside the branch: the tag and the selected objects carry it, with journal entries.
        Assert.Single(netBox.ViewOfBranch("dc1-refresh", "extras/tags"), t => (string?)t["name"] == "wp:dc1-refresh");
        Assert.Equal(["wp:dc1-refresh"], TagsOf(netBox.FindInBranch("dc1-refresh", Vms, 1)!));
        Assert.Equal(["wp:dc1-refresh"], TagsOf(netBox.FindInBranch("dc1-refresh", Vms, 2)!));
        Assert.Empty(TagsOf(netBox.FindInBranch("dc1-refresh", Vms, 3)!));
        Assert.Equal(2, netBox.ViewOfBranch("dc1-refresh", "extras/journal-entries").Count);
        Assert.All(netBox.ViewOfBranch("dc1-refresh", "extras/journal-entries"),
            e => Assert.Contains("in NetBox branch dc1-refresh", (string)e["comments"]!, StringComparison.Ordinal));

        // Main is untouched until the merge.
        Assert.DoesNotContain(netBox.Tags, t => (string?)t["name"] == "wp:dc1-refresh");
        Assert.Empty(TagsOf(netBox.Find(Vms, 1)!));
        Assert.Empty(netBox.JournalEntries);
        Assert.All(netBox.Writes.Where(w => !w.RequestMessage.Path.StartsWith("/api/plugins/", StringComparison.Ordinal)),
            w => Assert.Equal(branch.SchemaId,
            w.RequestMessage.Headers!.First(h => h.Key.Equals("X-NetBox-Branch", StringComparison.OrdinalIgnoreCase)).Value.Single()));
        Assert.DoesNotContain(netBox.Requests, r => r.ResponseMessage.StatusCode is 400);
    }

    [Fact]
    public async Task BranchCreated_BranchExistsAlready_IsFoundNotCreatedAgain()
    {
        var (netBox, gitLab) = World();
        using var _ = netBox;
        using var __ = gitLab;
        netBox.AddBranch("dc1-refresh", description: "made by wp init");
        await using var app = new WebhooksApp(netBox, Settings(gitLab));

        var id = await app.AcceptAsync("Push Hook", Payloads.BranchCreated("feature/dc1-refresh", commit: Commit, projectId: Project));
        await app.WaitForAsync(id);

        Assert.Equal("made by wp init", Assert.Single(netBox.Branches).Description);
        Assert.Empty(netBox.RequestsTo("POST", "/api/plugins/branching/branches/"));
        Assert.Equal(["wp:dc1-refresh"], TagsOf(netBox.FindInBranch("dc1-refresh", Vms, 1)!));
    }

    [Fact]
    public async Task BranchCreated_PluginAbsentInAutoMode_TagsMainAsWithoutBranching()
    {
        using var netBox = new NetBoxFake();
        netBox.Add(Vms, [NetBoxObjects.Vm(1, "web-01", "planned")]);
        using var gitLab = new GitLabFake();
        gitLab.WithUser(5, "nautilus-bot", Token, bot: true).WithProject(Project, "infra/dc")
            .WithFile(Project, Commit, "docs/work-packages/dc1-refresh.md", Document);
        await using var app = new WebhooksApp(netBox, Settings(gitLab));

        var id = await app.AcceptAsync("Push Hook", Payloads.BranchCreated("feature/dc1-refresh", commit: Commit, projectId: Project));
        await app.WaitForAsync(id);

        Assert.Equal(["wp:dc1-refresh"], TagsOf(netBox.Find(Vms, 1)!));
        Assert.Single(netBox.JournalEntries);
        Assert.DoesNotContain(netBox.Requests, r => r.RequestMessage.Headers!.Keys.Any(k => k.Equals("X-NetBox-Branch", StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain(netBox.Requests, r => r.RequestMessage.Path.StartsWith("/api/plugins/branching/branches/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BranchCreated_BranchAlreadyMerged_IsDeadLetteredSayingWhy()
    {
        var (netBox, gitLab) = World();
        using var _ = netBox;
        using var __ = gitLab;
        netBox.AddBranch("dc1-refresh", status: "merged");
        await using var app = new WebhooksApp(netBox, Settings(gitLab));

        var id = await app.AcceptAsync("Push Hook", Payloads.BranchCreated("feature/dc1-refresh", commit: Commit, projectId: Project));
        var failed = await app.WaitForAsync(id, DeliveryStatus.Failed);

        Assert.Contains("NetBox branch 'dc1-refresh'", failed.LastError, StringComparison.Ordinal);
        Assert.Contains("is merged", failed.LastError, StringComparison.Ordinal);
        Assert.Empty(netBox.Writes);
    }

    private static Dictionary<string, string?> MergeSettings(GitLabFake gitLab, params (string Key, string Value)[] more) =>
        Settings(gitLab, [("Nautilus:Webhooks:SyncOn", "merge"), ("Nautilus:Webhooks:BranchJobPollInterval", "00:00:00.010"), .. more]);

    private static string StatusOf(JsonObject o) => (string)o["status"]!["value"]!;

    /// <summary>The service, once feature/dc1-refresh (merge request 42) was pushed and its NetBox branch made and tagged.</summary>
    private static async Task<WebhooksApp> BranchPushedAsync(NetBoxFake netBox, GitLabFake gitLab, Dictionary<string, string?> settings)
    {
        gitLab.WithMergeRequest(Project, 42, "feature/dc1-refresh");
        var app = new WebhooksApp(netBox, settings);
        await app.WaitForAsync(await app.AcceptAsync("Push Hook", Payloads.BranchCreated("feature/dc1-refresh", commit: Commit, projectId: Project)));
        return app;
    }

    private static string Closed(string branch, long iid)
    {
        var payload = JsonNode.Parse(Payloads.Merged(branch, iid: iid, projectId: Project))!;
        payload["object_attributes"]!["action"] = "close";
        payload["object_attributes"]!["state"] = "closed";
        return payload.ToJsonString();
    }

    [Fact]
    public async Task Merged_MergesTheNetBoxBranchIntoMainFirst_ThenStatusesFollowInMain()
    {
        var (netBox, gitLab) = World();
        using var _ = netBox;
        using var __ = gitLab;
        await using var app = await BranchPushedAsync(netBox, gitLab, MergeSettings(gitLab));
        Assert.Empty(TagsOf(netBox.Find(Vms, 1)!));

        await app.WaitForAsync(await app.AcceptAsync("Merge Request Hook", Payloads.Merged("feature/dc1-refresh", iid: 42, projectId: Project)));

        Assert.Equal("merged", netBox.Branch("dc1-refresh")!.Status);
        Assert.Single(netBox.RequestsTo("POST", "/api/plugins/branching/branches/1/merge/"));

        // Main now holds the branch's tagging, with the same ids, and the merge sync flipped exactly those objects.
        Assert.Equal(["wp:dc1-refresh"], TagsOf(netBox.Find(Vms, 1)!));
        Assert.Equal("active", StatusOf(netBox.Find(Vms, 1)!));
        Assert.Equal("active", StatusOf(netBox.Find(Vms, 2)!));
        Assert.Equal("planned", StatusOf(netBox.Find(Vms, 3)!));
    }

    [Fact]
    public async Task Merged_BranchConflictsWithMain_DeadLetteredWithANote_NothingFlipped_AcknowledgedRetryMerges()
    {
        var (netBox, gitLab) = World();
        using var _ = netBox;
        using var __ = gitLab;
        await using var app = await BranchPushedAsync(netBox, gitLab, MergeSettings(gitLab));

        // Meanwhile someone tags web-01 in main: the branch changed the same field.
        var owner = netBox.AddTag("owner:ops");
        netBox.EditInMain(Vms, 1, vm => vm["tags"] = new JsonArray(owner.DeepClone()));

        var id = await app.AcceptAsync("Merge Request Hook", Payloads.Merged("feature/dc1-refresh", iid: 42, projectId: Project));
        var failed = await app.WaitForAsync(id, DeliveryStatus.Failed);

        Assert.Contains("conflicts with main on 1 object(s)", failed.LastError, StringComparison.Ordinal);
        Assert.Contains($"/deliveries/{id}/retry?acknowledge_conflicts=true", failed.LastError, StringComparison.Ordinal);
        Assert.Equal("ready", netBox.Branch("dc1-refresh")!.Status);
        Assert.All(netBox.VirtualMachines, vm => Assert.Equal("planned", StatusOf(vm)));
        Assert.Equal(["owner:ops"], TagsOf(netBox.Find(Vms, 1)!));
        var note = (string)Assert.Single(gitLab.NotesOf(Project, 42),
            n => ((string)n["body"]!).Contains("nautilus:netbox-branch:dc1-refresh:42", StringComparison.Ordinal))["body"]!;
        Assert.Contains("| `web-01 (id 1)` | `tags` |", note, StringComparison.Ordinal);
        Assert.Contains("owner:ops", note, StringComparison.Ordinal);
        Assert.Contains($"POST /deliveries/{id}/retry?acknowledge_conflicts=true", note, StringComparison.Ordinal);

        // An admin keeps the branch's values.
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/deliveries/{id}/retry?acknowledge_conflicts=true"))
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", WebhooksApp.AdminToken);
            using var response = await app.CreateClient().SendAsync(request);
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        }

        await app.WaitForAsync(id);
        Assert.Equal("merged", netBox.Branch("dc1-refresh")!.Status);
        Assert.Equal(["wp:dc1-refresh"], TagsOf(netBox.Find(Vms, 1)!));
        Assert.Equal("active", StatusOf(netBox.Find(Vms, 1)!));
    }

    [Fact]
    public async Task Merged_MergeJobErrors_DeadLetteredWithNetBoxsError_NothingFlipped()
    {
        var (netBox, gitLab) = World();
        using var _ = netBox;
        using var __ = gitLab;
        await using var app = await BranchPushedAsync(netBox, gitLab, MergeSettings(gitLab));
        netBox.FailNextJob("IntegrityError: duplicate key value violates unique constraint");

        var failed = await app.WaitForAsync(await app.AcceptAsync("Merge Request Hook", Payloads.Merged("feature/dc1-refresh", iid: 42, projectId: Project)),
            DeliveryStatus.Failed);

        Assert.Contains("IntegrityError: duplicate key value", failed.LastError, StringComparison.Ordinal);
        Assert.All(netBox.VirtualMachines, vm => Assert.Equal("planned", StatusOf(vm)));
    }

    [Fact]
    public async Task Merged_TokenMayNotMergeBranches_DeadLetteredNamingThePermission_NothingFlipped()
    {
        var (netBox, gitLab) = World();
        using var _ = netBox;
        using var __ = gitLab;
        await using var app = await BranchPushedAsync(netBox, gitLab, MergeSettings(gitLab));
        netBox.DeniedBranchActions.Add("merge");

        var failed = await app.WaitForAsync(await app.AcceptAsync("Merge Request Hook", Payloads.Merged("feature/dc1-refresh", iid: 42, projectId: Project)),
            DeliveryStatus.Failed);

        Assert.Contains("netbox_branching.merge_branch", failed.LastError, StringComparison.Ordinal);
        Assert.Contains("does not have permission to merge branches", failed.LastError, StringComparison.Ordinal);
        Assert.Equal("ready", netBox.Branch("dc1-refresh")!.Status);
        Assert.All(netBox.VirtualMachines, vm => Assert.Equal("planned", StatusOf(vm)));
    }

    [Theory]
    [InlineData("keep")]
    [InlineData("delete")]
    public async Task Closed_TheBranchIsKeptOrDeletedAsConfigured_AndTheMergeRequestSaysSo(string onClose)
    {
        var (netBox, gitLab) = World();
        using var _ = netBox;
        using var __ = gitLab;
        await using var app = await BranchPushedAsync(netBox, gitLab, Settings(gitLab, ("Nautilus:NetBox:BranchOnClose", onClose)));

        await app.WaitForAsync(await app.AcceptAsync("Merge Request Hook", Closed("feature/dc1-refresh", 42)));

        var note = (string)Assert.Single(gitLab.NotesOf(Project, 42))["body"]!;
        Assert.Contains("Closed without merging: NetBox branch `dc1-refresh`", note, StringComparison.Ordinal);
        if (onClose == "keep")
        {
            Assert.Equal("ready", Assert.Single(netBox.Branches).Status);
            Assert.Contains("is kept", note, StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(netBox.Branches);
            Assert.Contains("was deleted", note, StringComparison.Ordinal);
        }

        Assert.Empty(TagsOf(netBox.Find(Vms, 1)!));
        Assert.All(netBox.VirtualMachines, vm => Assert.Equal("planned", StatusOf(vm)));
    }
}
