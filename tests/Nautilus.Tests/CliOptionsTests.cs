using Nautilus.Tests.Support;

namespace Nautilus.Tests;

/// <summary>No option is accepted and then ignored: each is either used, refused (exit 2), or warned about naming the one used.</summary>
public sealed class CliOptionsTests
{
    [Theory]
    [InlineData("templates", "list", "--netbox-url")]
    [InlineData("plan", "report", "--source")]
    [InlineData("netbox", "bootstrap", "--source")]
    [InlineData("netbox", "update-status", "--source")]
    [InlineData("wp", "init", "--source")]
    public async Task CommandThatDoesNotReadItThatWay_RefusesTheNetBoxOption(string group, string command, string option)
    {
        using var dir = new TempDir();

        var result = await CliRunner.RunAsync(null, dir.Path, null, [group, command, .. (group == "wp" ? new[] { "demo" } : []), option, "x"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SourceAndNetBoxUrl_WarnsNamingTheExportFileUsed()
    {
        using var dir = new TempDir();

        var result = await CliRunner.RunAsync(null, dir.Path, null,
            ["wp", "status", "dc1-refresh", "--source", CliRunner.Example, "--netbox-url", "http://127.0.0.1:1"]);

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Contains($"warning: --source and --netbox-url both given: NetBox objects are read from the export file {CliRunner.Example}; --netbox-url is " +
            $"not used", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WpStatus_PositionalAndWpDiffer_UsageError()
    {
        var result = await CliRunner.RunAsync("wp", "status", "dc1-refresh", "--wp", "power-upgrade", "--source", CliRunner.Example);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("given twice, as 'dc1-refresh' and as --wp power-upgrade", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WpStatus_PositionalAndWpAgree_Runs()
    {
        var result = await CliRunner.RunAsync("wp", "status", "dc1-refresh", "--wp", "dc1-refresh", "--source", CliRunner.Example);

        Assert.True(result.ExitCode == 0, result.Err);
    }

    [Fact]
    public async Task Drift_StateDirWithProjectWithoutIssue_UsageError()
    {
        using var dir = new TempDir();

        var result = await CliRunner.RunAsync(null, dir.Path, null,
            ["drift", "--wp", "dc1-refresh", "--source", CliRunner.Example, "--state-dir", dir.Path, "--project", "infra/dc1"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--state-dir reads them from files", result.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--wave", "database")]
    [InlineData("--wp", "dc1-refresh")]
    [InlineData("--manifest", ".nautilus/dc1-refresh/manifest.json")]
    public async Task PipelineGenerate_IdleWithASelection_UsageErrorNamingTheIgnoredOption(string option, string value)
    {
        using var dir = new TempDir();

        var result = await CliRunner.RunAsync(null, dir.Path, null,
            ["pipeline", "generate", "--idle", "nothing to do", "--out", dir["child.yml"], option, value]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"so {option} would be ignored", result.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(dir["child.yml"]));
    }
}
