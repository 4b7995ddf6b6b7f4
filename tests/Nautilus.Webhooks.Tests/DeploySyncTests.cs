using System.Text.Json.Nodes;
using Nautilus.Core.Planning;
using Nautilus.Testing;
using Nautilus.Webhooks.Tests.Support;

namespace Nautilus.Webhooks.Tests;

/// <summary>
/// SyncOn=deploy (the default) with the generated code committed: the merge records, the apply jobs' Pipeline Hooks
/// flip exactly what the committed manifest lists, and failures land in the MR's note.
/// </summary>
public sealed class DeploySyncTests
{
    private const long Project = 7;
    private const long Iid = 42;
    private const string Token = "glpat-service-token-0123456789";
    private const string MergeCommit = "5bcfb805534d13224e8fa7698a2819bf0d055f29";
    private const string MrUrl = "https://gitlab.example.com/infra/dc/-/merge_requests/42";

    private static readonly JsonObject WpTag = NetBoxObjects.Tag(11, "wp:dc1-refresh");

    /// <summary>
    /// Reviewed: web-01, web-02 in wave web; db-01 in wave db. Since the review, web-03 was added to wave web in NetBox:
    /// it is not in the committed manifest, so nothing here may apply or flip it.
    /// </summary>
    private static NetBoxFake NetBox()
    {
        var netBox = new NetBoxFake();
        netBox.Add("extras/tags", [WpTag.DeepClone()]);
        netBox.Add("virtualization/virtual-machines", [
            NetBoxObjects.Vm(1, "web-01", "planned", WpTag).WithWave("web"),
            NetBoxObjects.Vm(2, "web-02", "planned", WpTag).WithWave("web"),
            NetBoxObjects.Vm(3, "db-01", "planned", WpTag).WithWave("db"),
            NetBoxObjects.Vm(4, "web-03", "planned", WpTag).WithWave("web"),
        ]);
        return netBox;
    }

    private static string Committed() => new Manifest(
        "dc1-refresh",
        "https://netbox.example.com",
        [Wave("web", 0, (1, "web-01"), (2, "web-02")), Wave("db", 1, (3, "db-01"))],
        []).ToJson();

    private static ManifestWave Wave(string name, int level, params (int Id, string Name)[] vms) => new(
        name, name, level, level == 0 ? [] : ["web"], [], $"dc1-refresh-{name}",
        vms.Select(v => new ManifestObject("virtualization.virtualmachine", v.Id, v.Name, null, null, "planned")).ToList());

    private static GitLabFake GitLab()
    {
        var gitLab = new GitLabFake();
        gitLab.WithUser(5, "nautilus-bot", Token, bot: true).WithProject(Project, "infra/dc")
            .WithMergeRequest(Project, Iid, "feature/dc1-refresh").Merge(Project, Iid, MergeCommit)
            .WithFile(Project, MergeCommit, ".nautilus/dc1-refresh/manifest.json", Committed());
        return gitLab;
    }

    private static WebhooksApp App(NetBoxFake netBox, GitLabFake gitLab) => new(netBox, new Dictionary<string, string?>
    {
        ["Nautilus:GitLab:Url"] = gitLab.Url,
        ["Nautilus:GitLab:Token"] = Token,
    });

    private static string StatusOf(NetBoxFake netBox, int id) => (string)netBox.Find("virtualization/virtual-machines", id)!["status"]!["value"]!;

    private static string Merged() => Payloads.Merged("feature/dc1-refresh", iid: Iid, projectId: Project, mergeCommit: MergeCommit);

    private static string NoteOf(GitLabFake gitLab) =>
        (string)Assert.Single(gitLab.NotesOf(Project, Iid),
            n => ((string)n["body"]!).Contains("nautilus:merge-sync:dc1-refresh:42", StringComparison.Ordinal))["body"]!;

    [Fact]
    public async Task Merge_JournalsEachReviewedObjectOnce_PostsOneNoteListingTheWaves_StatusesStayPlanned()
    {
        using var netBox = NetBox();
        using var gitLab = GitLab();
        await using var app = App(netBox, gitLab);

        await app.WaitForAsync(await app.AcceptAsync("Merge Request Hook", Merged()));
        await app.WaitForAsync(await app.AcceptAsync("Merge Request Hook", Merged()));

        Assert.All(new[] { 1, 2, 3, 4 }, id => Assert.Equal("planned", StatusOf(netBox, id)));
        Assert.Empty(netBox.RequestsTo("PATCH", "/api/"));
        Assert.Equal([1, 2, 3], netBox.JournalEntries.Select(e => (int)e["assigned_object_id"]!).Order());
        Assert.All(netBox.JournalEntries, e =>
        {
            Assert.Contains(MrUrl, (string)e["comments"]!, StringComparison.Ordinal);
            Assert.Equal("info", (string?)e["kind"]!["value"]);
        });

        var note = NoteOf(gitLab);
        Assert.Contains("| `web` | 0 | 2 | to deploy |", note, StringComparison.Ordinal);
        Assert.Contains("| `db` | 1 | 1 | to deploy |", note, StringComparison.Ordinal);
        Assert.Contains("**planned**", note, StringComparison.Ordinal);
        Assert.Empty(gitLab.RequestsTo("PUT", "/notes/"));
    }

    [Fact]
    public async Task ApplySucceeded_FlipsTheWaveTheManifestLists_NotWhatNetBoxNowHolds_AndARedeliveryWritesNothing()
    {
        using var netBox = NetBox();
        using var gitLab = GitLab();
        await using var app = App(netBox, gitLab);
        var pipeline = Payloads.Pipeline(77, Project, MergeCommit, ("dc1-refresh", "web", "success", 901));

        await app.WaitForAsync(await app.AcceptAsync("Pipeline Hook", pipeline));

        Assert.Equal("active", StatusOf(netBox, 1));
        Assert.Equal("active", StatusOf(netBox, 2));
        Assert.Equal("planned", StatusOf(netBox, 3));
        Assert.Equal("planned", StatusOf(netBox, 4));
        Assert.Equal([1, 2], netBox.JournalEntries.Select(e => (int)e["assigned_object_id"]!).Order());
        Assert.All(netBox.JournalEntries,
            e => Assert.Contains("[job 901](https://gitlab.example.com/infra/dc/-/jobs/901)", (string)e["comments"]!, StringComparison.Ordinal));

        // GitLab sends a Pipeline Hook for every status change of the pipeline; each lists the same finished job.
        var writes = netBox.Writes.Count();
        await app.WaitForAsync(await app.AcceptAsync("Pipeline Hook", pipeline));
        Assert.Equal(writes, netBox.Writes.Count());
    }

    [Fact]
    public async Task ApplySucceeded_AfterTheJobsOwnSync_WritesNothing()
    {
        using var netBox = NetBox();
        foreach (var id in new[] { 1, 2 })
        {
            netBox.Find("virtualization/virtual-machines", id)!["status"] = new JsonObject { ["value"] = "active", ["label"] = "Active" };
        }

        using var gitLab = GitLab();
        await using var app = App(netBox, gitLab);

        await app.WaitForAsync(await app.AcceptAsync("Pipeline Hook", Payloads.Pipeline(77, Project, MergeCommit, ("dc1-refresh", "web", "success", 901))));

        Assert.Empty(netBox.Writes);
        Assert.Equal("planned", StatusOf(netBox, 4));
    }

    [Fact]
    public async Task ApplyFailed_UpdatesTheMergeNoteWithTheWaveAndTheJobsLink_Once()
    {
        using var netBox = NetBox();
        using var gitLab = GitLab();
        await using var app = App(netBox, gitLab);
        await app.WaitForAsync(await app.AcceptAsync("Merge Request Hook", Merged()));
        var pipeline = Payloads.Pipeline(77, Project, MergeCommit, ("dc1-refresh", "web", "success", 901), ("dc1-refresh", "db", "failed", 902));

        await app.WaitForAsync(await app.AcceptAsync("Pipeline Hook", pipeline));
        await app.WaitForAsync(await app.AcceptAsync("Pipeline Hook", pipeline));

        Assert.Equal("active", StatusOf(netBox, 1));
        Assert.Equal("planned", StatusOf(netBox, 3));
        var note = NoteOf(gitLab);
        Assert.Contains("| `db` | 1 | 1 | **failed** in [job 902](https://gitlab.example.com/infra/dc/-/jobs/902) |", note, StringComparison.Ordinal);
        Assert.Contains("| `web` | 0 | 2 | to deploy |", note, StringComparison.Ordinal);
        Assert.Contains("1 wave failed to apply", note, StringComparison.Ordinal);
        Assert.Single(gitLab.RequestsTo("PUT", "/notes/"));

        // The MR was found from the pipeline's commit, once per delivery.
        Assert.Equal(2, gitLab.RequestsTo("GET", $"/repository/commits/{MergeCommit}/merge_requests").Count());
    }

    [Fact]
    public async Task ApplyFailed_BeforeTheMergeWasNoted_WritesTheNoteFromTheManifest()
    {
        using var netBox = NetBox();
        using var gitLab = GitLab();
        await using var app = App(netBox, gitLab);

        await app.WaitForAsync(await app.AcceptAsync("Pipeline Hook", Payloads.Pipeline(77, Project, MergeCommit, ("dc1-refresh", "web", "failed", 903))));

        var note = NoteOf(gitLab);
        Assert.Contains("| `web` | 0 | 2 | **failed** in [job 903](https://gitlab.example.com/infra/dc/-/jobs/903) |", note, StringComparison.Ordinal);
        Assert.Contains("| `db` | 1 | 1 | to deploy |", note, StringComparison.Ordinal);
        Assert.Empty(netBox.Writes);

        // The merge delivered late keeps the failure it finds in the note.
        await app.WaitForAsync(await app.AcceptAsync("Merge Request Hook", Merged()));
        Assert.Contains("**failed** in [job 903]", NoteOf(gitLab), StringComparison.Ordinal);
    }

    [Fact]
    public void DeployNote_HostileWaveNames_StayInCodeSpans_AndTheStateRoundTrips()
    {
        var state = new Handlers.DeployNoteState(
            [new Handlers.NoteWave("@all /close --> |x|", 0, 1)],
            [new Handlers.NoteFailure("@all /close --> |x|", 9, "https://gitlab.example.com/infra/dc/-/jobs/9")]);

        var body = Handlers.DeploymentNotes.Render("dc1-refresh", 42, state);

        Assert.Contains("| `@all /close --> \\|x\\|` | 0 | 1 | **failed** in [job 9](https://gitlab.example.com/infra/dc/-/jobs/9) |", body,
            StringComparison.Ordinal);
        Assert.DoesNotContain(body.Split('\n'), line => line.TrimStart().StartsWith('/'));
        Assert.Matches("^<!-- nautilus:deploy-state:[A-Za-z0-9+/=]+ -->$", body.Split('\n')[1]);
        Assert.Equivalent(state, Handlers.DeploymentNotes.StateOf(body));
    }
}
