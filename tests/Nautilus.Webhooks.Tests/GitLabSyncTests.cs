using System.Text.Json.Nodes;
using Nautilus.Testing;
using Nautilus.Webhooks.Tests.Support;

namespace Nautilus.Webhooks.Tests;

/// <summary>The handlers' GitLab side: the work package's front matter and the MR note.</summary>
public sealed class GitLabSyncTests
{
    private const long Project = 7;
    private const string Token = "glpat-service-token-0123456789";

    private static readonly JsonObject WpTag = NetBoxObjects.Tag(11, "wp:dc1-refresh");
    private static readonly JsonObject Keep = NetBoxObjects.Tag(13, "priority:high");

    private static Dictionary<string, string?> WithGitLab(GitLabFake gitLab) => new()
    {
        ["Nautilus:GitLab:Url"] = gitLab.Url,
        ["Nautilus:GitLab:Token"] = Token,
    };

    private const string Document = """
        ---
        title: DC1 refresh
        netbox:
          virtual_machines:
            - name__isw: web-
            - name: db-01
          devices:
            - name: leaf-01
        ---
        # DC1 refresh

        Replaces the web tier.
        """;

    [Theory]
    [InlineData("4.6")]
    [InlineData("4.4")]
    public async Task BranchCreated_TagsObjectsSelectedByFrontMatter_KeepingTheirOtherTags(string netBoxVersion)
    {
        using var netBox = new NetBoxFake(netBoxVersion);
        netBox.Add("extras/tags", [Keep.DeepClone()]);
        netBox.Add("virtualization/virtual-machines",
            [NetBoxObjects.Vm(1, "web-01", "planned", Keep), NetBoxObjects.Vm(2, "web-02", "planned"), NetBoxObjects.Vm(3, "db-01", "planned", Keep),
            NetBoxObjects.Vm(4, "mail-01", "planned")]);
        netBox.Add("dcim/devices", [NetBoxObjects.Device(70, "leaf-01", "planned")]);
        using var gitLab = new GitLabFake();
        gitLab.WithUser(5, "nautilus-bot", Token, bot: true).WithProject(Project, "infra/dc")
            .WithFile(Project, "abc123abc123abc123abc123abc123abc123abc1", "docs/work-packages/dc1-refresh.md", Document);
        await using var app = new WebhooksApp(netBox, WithGitLab(gitLab));

        var id = await app.AcceptAsync("Push Hook",
            Payloads.BranchCreated("feature/dc1-refresh", commit: "abc123abc123abc123abc123abc123abc123abc1", projectId: Project));
        await app.WaitForAsync(id);

        var tag = Assert.Single(netBox.Tags, t => (string?)t["name"] == "wp:dc1-refresh");
        string[] TagsOf(string collection, int objectId) =>
            netBox.Find(collection, objectId)!["tags"]!.AsArray().Select(t => (string)t!["name"]!).Order().ToArray();
        Assert.Equal(["priority:high", "wp:dc1-refresh"], TagsOf("virtualization/virtual-machines", 1));
        Assert.Equal(["wp:dc1-refresh"], TagsOf("virtualization/virtual-machines", 2));
        Assert.Equal(["priority:high", "wp:dc1-refresh"], TagsOf("virtualization/virtual-machines", 3));
        Assert.Empty(TagsOf("virtualization/virtual-machines", 4));
        Assert.Equal(["wp:dc1-refresh"], TagsOf("dcim/devices", 70));
        Assert.Equal(4, netBox.JournalEntries.Count);
        Assert.All(netBox.JournalEntries, e => Assert.Contains("branch feature/dc1-refresh", (string)e["comments"]!, StringComparison.Ordinal));
        Assert.Equal("wp-dc1-refresh", (string?)tag["slug"]);
    }

    [Fact]
    public async Task BranchCreated_InvalidFrontMatter_IsDeadLetteredNamingTheFile()
    {
        using var netBox = new NetBoxFake();
        using var gitLab = new GitLabFake();
        gitLab.WithUser(5, "nautilus-bot", Token).WithProject(Project, "infra/dc")
            .WithFile(Project, "abc123abc123abc123abc123abc123abc123abc1", "docs/work-packages/bad.md",
                "---\nnetbox:\n  virtual_machines:\n    - {}\n  racks: []\n---\n");
        await using var app = new WebhooksApp(netBox, WithGitLab(gitLab));

        var id = await app.AcceptAsync("Push Hook",
            Payloads.BranchCreated("feature/bad", commit: "abc123abc123abc123abc123abc123abc123abc1", projectId: Project));
        var failed = await app.WaitForAsync(id, Queue.DeliveryStatus.Failed);

        Assert.Contains("docs/work-packages/bad.md", failed.LastError, StringComparison.Ordinal);
        Assert.Contains("racks", failed.LastError, StringComparison.Ordinal);
        Assert.Contains("empty one would select every object", failed.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(netBox.Writes, w => w.RequestMessage.Path.Contains("virtual-machines", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BranchCreated_WithoutDocument_OnlyEnsuresTheTag()
    {
        using var netBox = new NetBoxFake();
        using var gitLab = new GitLabFake();
        gitLab.WithUser(5, "nautilus-bot", Token).WithProject(Project, "infra/dc");
        await using var app = new WebhooksApp(netBox, WithGitLab(gitLab));

        await app.WaitForAsync(await app.AcceptAsync("Push Hook", Payloads.BranchCreated("feature/no-doc", projectId: Project)));

        Assert.Single(netBox.Tags, t => (string?)t["name"] == "wp:no-doc");
        Assert.Empty(netBox.JournalEntries);
    }

    [Fact]
    public async Task Merge_PostsOneNote_EvenWhenTheMergeIsDeliveredTwice()
    {
        using var netBox = new NetBoxFake();
        netBox.Add("extras/tags", [WpTag.DeepClone()]);
        netBox.Add("virtualization/virtual-machines", [NetBoxObjects.Vm(1, "web|01", "planned", WpTag), NetBoxObjects.Vm(2, "/merge", "planned", WpTag)]);
        using var gitLab = new GitLabFake();
        gitLab.WithUser(5, "nautilus-bot", Token, bot: true).WithProject(Project, "infra/dc").WithMergeRequest(Project, 42, "feature/dc1-refresh")
            .WithChatter(Project, 42, 5, 120);
        await using var app = new WebhooksApp(netBox, new Dictionary<string, string?>(WithGitLab(gitLab)) { ["Nautilus:Webhooks:SyncOn"] = "merge" });

        await app.WaitForAsync(await app.AcceptAsync("Merge Request Hook", Payloads.Merged("feature/dc1-refresh", iid: 42, projectId: Project)));
        await app.WaitForAsync(await app.AcceptAsync("Merge Request Hook", Payloads.Merged("feature/dc1-refresh", iid: 42, projectId: Project)));

        var notes = gitLab.NotesOf(Project, 42).Where(n => ((string)n["body"]!).Contains("nautilus:merge-sync", StringComparison.Ordinal)).ToList();
        var body = (string)Assert.Single(notes)["body"]!;
        Assert.Contains("2 objects set **planned → active**", body, StringComparison.Ordinal);
        Assert.Contains("web\\|01", body, StringComparison.Ordinal);
        Assert.Contains($"{netBox.Url}/virtualization/virtual-machines/1/", body, StringComparison.Ordinal);
        Assert.Empty(gitLab.ExecutedQuickActions);
        Assert.DoesNotContain(body.Split('\n'), line => line.StartsWith('/'));
    }
}
