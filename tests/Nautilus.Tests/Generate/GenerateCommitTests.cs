using System.Text.Json.Nodes;
using Nautilus.Testing;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.Generate;

/// <summary>`iac generate --check --commit` (component input stale: commit): one commit through GitLab's Commits API.</summary>
public sealed class GenerateCommitTests
{
    private const string NetBoxToken = "0123456789abcdef0123456789abcdef01234567";
    private const string BotToken = "glpat-nautilus-bot-token";
    private const long ProjectId = 42;
    private const string Branch = "feature/shop";
    private const string Head = "1111111111111111111111111111111111111111";

    private sealed class World : IDisposable
    {
        public World()
        {
            NetBox.AddVirtualMachine(1, "shop-web-01", tags: ["wp:shop"], customFields: Fields("web", 10), vcpus: 2, memory: 4096);
            NetBox.AddVirtualMachine(2, "shop-web-02", tags: ["wp:shop"], customFields: Fields("web", 10), vcpus: 2, memory: 4096);
            NetBox.AddVirtualMachine(3, "shop-db-01", tags: ["wp:shop"], customFields: Fields("db", 20), vcpus: 4, memory: 8192);
            GitLab.WithUser(90, "nautilus-bot", BotToken, bot: true).WithProject(ProjectId, "infra/shop").WithJobToken("glcbt-job", 90);
        }

        public NetBoxFake NetBox { get; } = new();

        public GitLabFake GitLab { get; } = new();

        public TempDir Repo { get; } = new();

        public Dictionary<string, string> Environment { get; } = new()
        {
            ["CI"] = "true",
            ["CI_PROJECT_ID"] = ProjectId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CI_MERGE_REQUEST_IID"] = "3",
            ["CI_MERGE_REQUEST_PROJECT_ID"] = "42",
            ["CI_MERGE_REQUEST_SOURCE_PROJECT_ID"] = "42",
            ["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"] = Branch,
            ["CI_DEFAULT_BRANCH"] = "main",
            ["CI_COMMIT_SHA"] = Head,
            ["CI_COMMIT_MESSAGE"] = "Add the shop VMs",
            ["CI_PIPELINE_URL"] = "https://gitlab.example.com/infra/shop/-/pipelines/77",
        };

        public Dictionary<string, string?> Configuration => new()
        {
            ["Nautilus:NetBox:Token"] = NetBoxToken,
            ["Nautilus:GitLab:Url"] = GitLab.Url,
            ["Nautilus:GitLab:Token"] = BotToken,
        };

        /// <summary>Generates into the checkout and makes it the branch's head in GitLab.</summary>
        public async Task CommitGeneratedAsync()
        {
            Assert.Equal(0, (await RunAsync()).ExitCode);
            var files = TempDir.Snapshot(Repo.Path).ToDictionary(kv => kv.Key, kv => System.Text.Encoding.UTF8.GetString(kv.Value));
            GitLab.WithBranch(ProjectId, Branch, Head, files);
        }

        public Task<CliRunner.Result> RunAsync(params string[] extra) => RunAsync(Configuration, extra);

        public Task<CliRunner.Result> RunAsync(Dictionary<string, string?> configuration, params string[] extra)
        {
            Environment["CI_PROJECT_DIR"] = Repo.Path;
            return CliRunner.RunAsync(Environment, Repo.Path, configuration,
                ["iac", "generate", "--wp", "shop", "--netbox-url", NetBox.Url, "--out", ".", .. extra]);
        }

        public void Dispose()
        {
            NetBox.Dispose();
            GitLab.Dispose();
            Repo.Dispose();
        }
    }

    private static JsonObject Fields(string wave, int sequence) => new() { ["deployment_wave"] = wave, ["deployment_sequence"] = sequence };

    private static JsonObject Active => new() { ["value"] = "active", ["label"] = "Active" };

    [Fact]
    public async Task Commit_StaleMergeRequestBranch_PushesOneCommitThatMakesTheBranchCurrent()
    {
        using var world = new World();
        await world.CommitGeneratedAsync();
        var checkout = TempDir.Snapshot(world.Repo.Path);

        // A changed field (update), a wave that empties (delete) and a new wave (create).
        world.NetBox.Edit("virtualization/virtual-machines", 2, vm => vm["memory"] = 8192);
        world.NetBox.Edit("virtualization/virtual-machines", 3, vm => vm["status"] = Active);
        world.NetBox.AddVirtualMachine(4, "shop-cache-01", tags: ["wp:shop"], customFields: Fields("cache", 30), vcpus: 2, memory: 2048);

        var run = await world.RunAsync("--check", "--commit", "--pushed-note", "pushed.txt");

        Assert.True(run.ExitCode == 0, run.Err);
        var commit = Assert.Single(world.GitLab.Commits);
        Assert.Equal(Branch, commit.Branch);
        Assert.Equal(Head, commit.Parent);
        var actions = commit.Actions.ToDictionary(a => (string)a["file_path"]!, a => (string)a["action"]!);
        Assert.Equal("update", actions["terraform/shop/web/main.tf"]);
        Assert.Equal("update", actions[".nautilus/shop/manifest.json"]);
        Assert.Equal("delete", actions["terraform/shop/db/main.tf"]);
        Assert.Equal("delete", actions["ansible/shop/waves/db.yml"]);
        Assert.Equal("create", actions["terraform/shop/cache/main.tf"]);
        Assert.Equal("create", actions["ansible/shop/waves/cache.yml"]);
        Assert.All(commit.Actions.Where(a => (string)a["action"]! == "delete"), a => Assert.Null(a["content"]));
        Assert.StartsWith("Regenerate shop from NetBox\n", commit.Message, StringComparison.Ordinal);
        Assert.Contains("- vm 'shop-web-02' (id 2): memory: 4096 -> 8192", commit.Message, StringComparison.Ordinal);
        Assert.Contains("- vm 'shop-db-01' (id 3): no longer generated (status is now active)", commit.Message, StringComparison.Ordinal);
        Assert.Contains("- vm 'shop-cache-01' (id 4): new in the work package (wave cache)", commit.Message, StringComparison.Ordinal);
        Assert.Contains("in pipeline https://gitlab.example.com/infra/shop/-/pipelines/77.", commit.Message, StringComparison.Ordinal);
        Assert.EndsWith("\nNautilus-Regenerated: shop\n", commit.Message, StringComparison.Ordinal);

        var note = await File.ReadAllTextAsync(world.Repo["pushed.txt"]);
        Assert.Contains($"as commit {commit.Id[..11]} to {Branch}", note, StringComparison.Ordinal);
        Assert.Contains("That commit's pipeline plans it.", run.Out, StringComparison.Ordinal);

        // The checkout is untouched; the branch in GitLab now holds exactly what a regeneration writes.
        var now = TempDir.Snapshot(world.Repo.Path);
        Assert.All(checkout, kv => Assert.True(kv.Value.AsSpan().SequenceEqual(now[kv.Key]), kv.Key));
        using var fresh = new TempDir();
        Assert.Equal(0, (await CliRunner.RunAsync(null, fresh.Path, world.Configuration,
            ["iac", "generate", "--wp", "shop", "--netbox-url", world.NetBox.Url, "--out", fresh.Path])).ExitCode);
        foreach (var (path, bytes) in TempDir.Snapshot(fresh.Path))
        {
            Assert.Equal(System.Text.Encoding.UTF8.GetString(bytes), world.GitLab.FileAt(ProjectId, Branch, path));
        }

        Assert.Null(world.GitLab.FileAt(ProjectId, Branch, "terraform/shop/db/main.tf"));
    }

    [Fact]
    public async Task Commit_UpToDate_PushesNothing()
    {
        using var world = new World();
        await world.CommitGeneratedAsync();

        var run = await world.RunAsync("--check", "--commit", "--pushed-note", "pushed.txt");

        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Empty(world.GitLab.Commits);
        Assert.False(File.Exists(world.Repo["pushed.txt"]));
    }

    [Fact]
    public async Task Commit_MergeRequestFromAFork_Exits8WithTheReasonAndPushesNothing()
    {
        using var world = new World();
        await world.CommitGeneratedAsync();
        world.Environment["CI_MERGE_REQUEST_SOURCE_PROJECT_ID"] = "4711";
        world.NetBox.Edit("virtualization/virtual-machines", 2, vm => vm["memory"] = 8192);

        var run = await world.RunAsync("--check", "--commit");

        Assert.Equal(8, run.ExitCode);
        Assert.Contains("comes from a fork (project 4711), which nautilus cannot push to", run.Err, StringComparison.Ordinal);
        Assert.Contains("nautilus iac generate --wp shop", run.Err, StringComparison.Ordinal);
        Assert.Empty(world.GitLab.Commits);
        Assert.Empty(world.GitLab.Writes);
    }

    [Fact]
    public async Task Commit_OnlyTheJobToken_Exits5BeforeAnyWrite()
    {
        using var world = new World();
        await world.CommitGeneratedAsync();
        world.Environment["CI_JOB_TOKEN"] = "glcbt-job";
        world.NetBox.Edit("virtualization/virtual-machines", 2, vm => vm["memory"] = 8192);
        var configuration = world.Configuration;
        configuration.Remove("Nautilus:GitLab:Token");

        var run = await world.RunAsync(configuration, "--check", "--commit");

        Assert.Equal(5, run.ExitCode);
        Assert.Contains("Pushing the regenerated code needs a GitLab access token with the api (or write_repository) scope", run.Err, StringComparison.Ordinal);
        Assert.Contains("role Developer or higher", run.Err, StringComparison.Ordinal);
        Assert.Empty(world.GitLab.Writes);
    }

    [Fact]
    public async Task Commit_BranchMovedOnSinceThePipelineCommit_Exits8AndPushesNothing()
    {
        using var world = new World();
        await world.CommitGeneratedAsync();
        world.Environment["CI_COMMIT_SHA"] = "2222222222222222222222222222222222222222";
        world.NetBox.Edit("virtualization/virtual-machines", 2, vm => vm["memory"] = 8192);

        var run = await world.RunAsync("--check", "--commit");

        Assert.Equal(8, run.ExitCode);
        Assert.Contains($"branch '{Branch}' of project 42 moved on to {Head[..8]} since this pipeline's commit 22222222", run.Err, StringComparison.Ordinal);
        Assert.Empty(world.GitLab.Commits);
    }

    [Fact]
    public async Task Commit_OnTheDefaultBranch_Exits8AndNeverPushes()
    {
        using var world = new World();
        await world.CommitGeneratedAsync();
        foreach (var mr in new[] { "CI_MERGE_REQUEST_IID", "CI_MERGE_REQUEST_PROJECT_ID", "CI_MERGE_REQUEST_SOURCE_PROJECT_ID",
            "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME" })
        {
            world.Environment.Remove(mr);
        }

        world.Environment["CI_COMMIT_BRANCH"] = "main";
        world.NetBox.Edit("virtualization/virtual-machines", 2, vm => vm["memory"] = 8192);

        var run = await world.RunAsync("--check", "--commit");

        Assert.Equal(8, run.ExitCode);
        Assert.Contains("on the default branch 'main', which nautilus never pushes to", run.Err, StringComparison.Ordinal);
        Assert.Empty(world.GitLab.Writes);
    }

    [Fact]
    public async Task Commit_OwnRegenerationStillDiffersWithoutNetBoxChange_RefusesToLoop()
    {
        using var world = new World();
        await world.CommitGeneratedAsync();
        world.Environment["CI_COMMIT_MESSAGE"] = "Regenerate shop from NetBox\n\nNautilus-Regenerated: shop\n";

        // Another provider stands in for a template that renders differently every time.
        var run = await world.RunAsync("--check", "--commit", "--provider", "aws");

        Assert.Equal(8, run.ExitCode);
        Assert.Contains("the generation is not repeatable", run.Err, StringComparison.Ordinal);
        Assert.Empty(world.GitLab.Commits);
    }

    [Fact]
    public async Task Commit_WithoutCheck_IsAUsageError()
    {
        using var world = new World();

        var run = await world.RunAsync("--commit");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--commit and --pushed-note go with --check", run.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(world.Repo["terraform"]));
    }
}
