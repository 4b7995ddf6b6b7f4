using Nautilus.Testing;
using Nautilus.Tests.Deploy;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.Drift;

/// <summary>`drift --issue`: one GitLab issue per work package, opened, updated in place, closed with a note once clean.</summary>
public sealed class DriftIssueTests : IDisposable
{
    private const long ProjectId = 42;
    private const string BotToken = "glpat-nautilus-bot-token";

    private readonly NetBoxFake _netbox = new();
    private readonly GitLabFake _gitlab = new GitLabFake()
        .WithUser(90, "nautilus-bot", BotToken, bot: true)
        .WithUser(7, "alice", "glpat-alice")
        .WithJobToken("glcbt-job", 90)
        .WithProject(ProjectId, "infra/alpha");

    private readonly string _states = Directory.CreateTempSubdirectory("nautilus-drift-issue-").FullName;

    public DriftIssueTests()
    {
        _netbox.AddVirtualMachine(1, "alpha-web-01", status: "active", tags: ["wp:alpha"], customFields: DeployWorld.Fields("a", 10), vcpus: 2, memory: 4096,
            disk: 50000);
        _netbox.AddVirtualMachine(2, "alpha-web-02", status: "active", tags: ["wp:alpha"], customFields: DeployWorld.Fields("a", 11), vcpus: 2, memory: 4096,
            disk: 50000);
    }

    public void Dispose()
    {
        _netbox.Dispose();
        _gitlab.Dispose();
        Directory.Delete(_states, recursive: true);
    }

    private void WriteState(params (int Id, string Name, int Cpus, int MemoryMb, int DiskGb)[] vms) =>
        File.WriteAllText(Path.Combine(_states, "alpha-a.json"), DriftTests.State(vms));

    private Task<CliRunner.Result> DriftAsync(string? gitlabToken = BotToken, string? jobToken = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["CI"] = "true",
            ["CI_PROJECT_ID"] = "42",
            ["CI_PIPELINE_URL"] = "https://gitlab.example.com/infra/alpha/-/pipelines/900",
        };
        if (jobToken is not null)
        {
            environment["CI_JOB_TOKEN"] = jobToken;
        }

        var configuration = new Dictionary<string, string?> { ["Nautilus:NetBox:Token"] = DeployWorld.NetBoxToken, ["Nautilus:GitLab:Url"] = _gitlab.Url };
        if (gitlabToken is not null)
        {
            configuration["Nautilus:GitLab:Token"] = gitlabToken;
        }

        return CliRunner.RunAsync(environment, _states, configuration,
            ["drift", "--wp", "alpha", "--netbox-url", _netbox.Url, "--state-dir", _states, "--issue"]);
    }

    /// <summary>One composition per invocation (CliHost): NetBox and GitLab clients come from the one service provider.</summary>
    [Fact]
    public async Task Drift_WithIssue_UsesNetBoxAndGitLab_FromOneComposition()
    {
        var compositions = new System.Runtime.CompilerServices.StrongBox<int>();
        Nautilus.Cli.CliContextFactory.Compositions.Value = compositions;

        var result = await DriftAsync();

        Assert.Equal(7, result.ExitCode);
        Assert.NotEmpty(_netbox.Requests);
        Assert.NotEmpty(_gitlab.RequestsTo("POST", "/issues"));
        Assert.Equal(1, compositions.Value);
    }

    [Fact]
    public async Task Issue_DriftThenMoreDriftThenClean_OneIssueOpenedUpdatedAndClosed()
    {
        WriteState((1, "alpha-web-01", 2, 4096, 50));

        var first = await DriftAsync();

        Assert.Equal(7, first.ExitCode);
        var issue = Assert.Single(_gitlab.IssuesOf(ProjectId));
        Assert.Equal("Drift in work package alpha", (string)issue["title"]!);
        Assert.Equal("opened", (string)issue["state"]!);
        Assert.Equal(["nautilus-drift"], issue["labels"]!.AsArray().Select(l => (string)l!));
        var body = (string)issue["description"]!;
        Assert.StartsWith("<!-- nautilus:drift:alpha -->\n## Drift: work package `alpha`", body, StringComparison.Ordinal);
        Assert.Contains($"| active_but_missing | [`alpha-web-02`]({_netbox.Url}/virtualization/virtual-machines/2/) (id 2) | `a` |", body,
            StringComparison.Ordinal);
        Assert.Contains("[pipeline](https://gitlab.example.com/infra/alpha/-/pipelines/900)", body, StringComparison.Ordinal);
        Assert.Contains($"info: drift: opened issue #1 for work package alpha: {_gitlab.Url}/infra/alpha/-/issues/1", first.Err, StringComparison.Ordinal);

        // Still drifting, differently: the same issue, updated in place.
        WriteState((1, "alpha-web-01", 4, 4096, 50));
        var second = await DriftAsync();

        Assert.True(second.ExitCode == 7, second.Err);
        issue = Assert.Single(_gitlab.IssuesOf(ProjectId));
        Assert.Contains("| attribute_mismatch |", (string)issue["description"]!, StringComparison.Ordinal);
        Assert.Contains("info: drift: updated issue #1", second.Err, StringComparison.Ordinal);

        // Clean: a note, then closed.
        WriteState((1, "alpha-web-01", 2, 4096, 50), (2, "alpha-web-02", 2, 4096, 50));
        var clean = await DriftAsync();

        Assert.True(clean.ExitCode == 0, clean.Err);
        issue = Assert.Single(_gitlab.IssuesOf(ProjectId));
        Assert.Equal("closed", (string)issue["state"]!);
        var note = Assert.Single(_gitlab.IssueNotesOf(ProjectId, 1));
        Assert.StartsWith("No drift any more: NetBox and Terraform state of work package `alpha` agree as of ", (string)note["body"]!,
            StringComparison.Ordinal);
        Assert.Contains("drift: no drift any more; closed issue #1", clean.Err, StringComparison.Ordinal);

        // Clean again: nothing written.
        var writes = _gitlab.Writes.Count();
        Assert.Equal(0, (await DriftAsync()).ExitCode);
        Assert.Equal(writes, _gitlab.Writes.Count());

        // Drift comes back: the closed issue is reopened, not a second one.
        WriteState((1, "alpha-web-01", 2, 4096, 50));
        var back = await DriftAsync();
        Assert.Equal(7, back.ExitCode);
        issue = Assert.Single(_gitlab.IssuesOf(ProjectId));
        Assert.Equal("opened", (string)issue["state"]!);
        Assert.Contains("drift: reopened issue #1", back.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_HostileNetBoxName_RunsNoQuickActionAndPingsNobody()
    {
        _netbox.AddVirtualMachine(3, "/close\n@all #1", status: "active", tags: ["wp:alpha"], customFields: DeployWorld.Fields("a", 12), vcpus: 2,
            memory: 4096);
        WriteState((1, "alpha-web-01", 2, 4096, 50), (2, "alpha-web-02", 2, 4096, 50));

        var result = await DriftAsync();

        Assert.Equal(7, result.ExitCode);
        var body = (string)Assert.Single(_gitlab.IssuesOf(ProjectId))["description"]!;
        Assert.Empty(_gitlab.ExecutedQuickActions);
        Assert.DoesNotContain("\n/", body, StringComparison.Ordinal);
        Assert.Contains("`/close @all #1`", body, StringComparison.Ordinal);
        Assert.All(body.Split('\n').Where(l => l.Contains("@all", StringComparison.Ordinal)), l => Assert.Matches("`[^`]*@all", l));
    }

    [Fact]
    public async Task Issue_SomeoneElsesIssueWithTheMarker_IsLeftAloneAndOursIsOpened()
    {
        // Alice pasted the marker into her own issue; the bot never edits issues it did not open.
        using (var client = new HttpClient())
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{_gitlab.Url}/api/v4/projects/42/issues")
            {
                Content = new StringContent("{\"title\":\"copy\",\"description\":\"<!-- nautilus:drift:alpha --> quoted\"}", System.Text.Encoding.UTF8,
                    "application/json"),
            };
            request.Headers.Add("PRIVATE-TOKEN", "glpat-alice");
            (await client.SendAsync(request)).EnsureSuccessStatusCode();
        }

        WriteState((1, "alpha-web-01", 2, 4096, 50));
        var result = await DriftAsync();

        Assert.Equal(7, result.ExitCode);
        var issues = _gitlab.IssuesOf(ProjectId);
        Assert.Equal(2, issues.Count);
        Assert.Equal("<!-- nautilus:drift:alpha --> quoted", (string)issues[0]["description"]!);
        Assert.Equal(90, (long)issues[1]["author"]!["id"]!);
    }

    [Fact]
    public async Task Issue_OnlyTheJobToken_Exit5AndNothingWritten()
    {
        WriteState((1, "alpha-web-01", 2, 4096, 50));

        var result = await DriftAsync(gitlabToken: null, jobToken: "glcbt-job");

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("Keeping the drift issue needs a GitLab access token with the api scope", result.Err, StringComparison.Ordinal);
        Assert.Empty(_gitlab.Writes);
    }
}
