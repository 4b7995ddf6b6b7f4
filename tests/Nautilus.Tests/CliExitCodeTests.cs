using System.Text.Json.Nodes;
using Nautilus.Cli;
using Nautilus.Core;
using Nautilus.Tests.Support;

namespace Nautilus.Tests;

/// <summary>One test per exit code of docs/design.md §10, asserting what the user reads.</summary>
public sealed class CliExitCodeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nautilus-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Cli_Ok_ExitsZeroWithDataOnStdoutOnly()
    {
        var result = await CliRunner.RunAsync("wp", "status", "dc1-refresh", "--source", CliRunner.Example);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("Work package dc1-refresh", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Work package", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_Version_PrintsVersion()
    {
        var result = await CliRunner.RunAsync("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Out);
    }

    [Theory]
    [InlineData("wp")]
    [InlineData("wp", "status")]
    [InlineData("netbox", "export")]
    [InlineData("netbox", "bootstrap")]
    public async Task Cli_HelpOnEveryCommand_ExitsZeroAndDescribes(params string[] command)
    {
        var result = await CliRunner.RunAsync([.. command, "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Cli_EveryCommand_HasADescription()
    {
        var root = CliHost.BuildRoot(new CliContextFactory(new Nautilus.Core.Configuration.DictionaryEnvironment(new Dictionary<string, string>()),
            TextWriter.Null, TextWriter.Null, new Nautilus.Core.Secrets.SecretRedactor(), null));
        var missing = new List<string>();
        void Walk(System.CommandLine.Command c, string path)
        {
            if (string.IsNullOrWhiteSpace(c.Description))
            {
                missing.Add(path);
            }

            foreach (var sub in c.Subcommands)
            {
                Walk(sub, path + " " + sub.Name);
            }
        }

        Walk(root, "nautilus");
        Assert.Empty(missing);
    }

    [Fact]
    public async Task Cli_UnknownOption_ExitsTwoNamingItAndHelp()
    {
        var result = await CliRunner.RunAsync("wp", "status", "dc1-refresh", "--colour");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--colour", result.Err, StringComparison.Ordinal);
        Assert.Contains("nautilus wp status --help", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_NoWorkPackageOnMainBranch_ExitsTwoExplaining()
    {
        var result = await CliRunner.RunAsync("wp", "status", "--source", CliRunner.Example);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Branch 'main' (git branch) is not a work-package branch (feature/<wp>)", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_WorkPackageFromMergeRequestBranch_IsUsed()
    {
        var result = await CliRunner.RunAsync(
            new Dictionary<string, string> { ["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"] = "feature/dc1-refresh", ["CI_COMMIT_BRANCH"] = "feature/other" },
            null,
            null,
            "wp", "status", "--source", CliRunner.Example, "--format", "json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("dc1-refresh", (string?)JsonNode.Parse(result.Out)!["work_package"]);
    }

    [Fact]
    public async Task Cli_BranchPrefixConfigured_IsHonoured()
    {
        var result = await CliRunner.RunAsync(
            new Dictionary<string, string> { ["CI_COMMIT_BRANCH"] = "wp/dc1-refresh", ["NAUTILUS_BRANCH_PREFIX"] = "wp/" },
            null,
            null,
            "wp", "status", "--source", CliRunner.Example);

        Assert.Equal(0, result.ExitCode);
    }

    [Theory]
    [InlineData("Q4_Upgrade")]
    [InlineData("../etc")]
    [InlineData("-leading")]
    public async Task Cli_InvalidWorkPackageName_ExitsTwo(string wp)
    {
        var result = await CliRunner.RunAsync("wp", "status", wp, "--source", CliRunner.Example);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"'{wp}' (--wp) is not a valid work package name", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_MissingExportFile_ExitsTwoSayingHowToMakeOne()
    {
        var result = await CliRunner.RunAsync("wp", "status", "dc1-refresh", "--source", "nope.json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nautilus netbox export", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_CycleInNetBoxData_ExitsThreeNamingTheCycle()
    {
        var export = JsonNode.Parse(File.ReadAllText(CliRunner.Example))!;
        var leaf = export["devices"]!.AsArray().First(d => (string?)d!["name"] == "dc1-leaf-01")!;
        leaf["tags"]!.AsArray().Add(new JsonObject { ["id"] = 999, ["name"] = "depends-on:wave:monitoring", ["slug"] = "depends-on-wave-monitoring" });
        var path = Path.Combine(_dir, "cycle.json");
        File.WriteAllText(path, export.ToJsonString());

        var result = await CliRunner.RunAsync("wp", "status", "dc1-refresh", "--source", path);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("cycle", result.Err, StringComparison.Ordinal);
        Assert.Contains("device 'dc1-leaf-01' (id 1)", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_MalformedExportFile_ExitsThreeWithPosition()
    {
        var path = Path.Combine(_dir, "broken.json");
        File.WriteAllText(path, "{\"virtual_machines\": [ {\"id\": 1, ");

        var result = await CliRunner.RunAsync("wp", "status", "dc1-refresh", "--source", path);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("is not a NetBox export (line 1", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_NoNetBoxConfigured_ExitsTwo()
    {
        var result = await CliRunner.RunAsync("wp", "status", "dc1-refresh");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--netbox-url", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_UnexpectedException_ExitsOneCallingItABug()
    {
        var error = new StringWriter();

        var code = await CliHost.ReportAsync(new InvalidOperationException("boom"), error);

        Assert.Equal((int)ExitCode.Unexpected, code);
        Assert.Contains("a bug in nautilus", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException: boom", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_WrappedExpectedFailure_KeepsItsExitCode()
    {
        var error = new StringWriter();
        var wrapped = new HttpRequestException("outer", NautilusException.Auth("NetBox refused the token"));

        var code = await CliHost.ReportAsync(wrapped, error);

        Assert.Equal((int)ExitCode.AuthenticationFailed, code);
        Assert.Equal("error: NetBox refused the token" + Environment.NewLine, error.ToString());
    }
}
