using System.Diagnostics;
using Nautilus.Testing;
using Nautilus.Tests.Deploy;
using Nautilus.Tests.Support;

namespace Nautilus.Tests;

public sealed class WpInitTests : IDisposable
{
    private readonly NetBoxFake _netbox = new();
    private readonly string _repo = Directory.CreateTempSubdirectory("nautilus-wp-init-").FullName;

    public WpInitTests()
    {
        Git("init", "-q", "-b", "main");
        Git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "root");
    }

    public void Dispose()
    {
        _netbox.Dispose();
        Directory.Delete(_repo, recursive: true);
    }

    private string Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = _repo, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', args)}: {process.StandardError.ReadToEnd()}");
        return output.Trim();
    }

    private Task<CliRunner.Result> RunAsync(params string[] args) =>
        CliRunner.RunAsync(null, _repo, new Dictionary<string, string?> { ["Nautilus:NetBox:Token"] = DeployWorld.NetBoxToken },
            [.. args, "--netbox-url", _netbox.Url]);

    [Fact]
    public async Task WpInit_NewWorkPackage_CreatesBranchDocAndTag()
    {
        var result = await RunAsync("wp", "init", "q4-upgrade");

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Equal("feature/q4-upgrade", Git("rev-parse", "--abbrev-ref", "HEAD"));
        var doc = File.ReadAllText(Path.Combine(_repo, "docs", "work-packages", "q4-upgrade.md"));
        Assert.StartsWith("---\nwork_package: q4-upgrade\n", doc, StringComparison.Ordinal);
        Assert.Contains("netbox:\n  virtual_machines: []\n  devices: []\n---\n", doc, StringComparison.Ordinal);
        var tag = Assert.Single(_netbox.Tags);
        Assert.Equal("wp:q4-upgrade", (string?)tag["name"]);
        Assert.Equal("wp-q4-upgrade", (string?)tag["slug"]);
    }

    [Fact]
    public async Task WpInit_RunTwice_KeepsWhatExists()
    {
        Assert.Equal(0, (await RunAsync("wp", "init", "q4-upgrade")).ExitCode);
        File.AppendAllText(Path.Combine(_repo, "docs", "work-packages", "q4-upgrade.md"), "edited\n");

        var result = await RunAsync("wp", "init", "q4-upgrade");

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Contains("exists   NetBox tag wp:q4-upgrade", result.Out, StringComparison.Ordinal);
        Assert.Contains("exists   branch feature/q4-upgrade", result.Out, StringComparison.Ordinal);
        Assert.EndsWith("edited\n", File.ReadAllText(Path.Combine(_repo, "docs", "work-packages", "q4-upgrade.md")), StringComparison.Ordinal);
        Assert.Single(_netbox.Tags);
    }

    [Fact]
    public async Task WpInit_DryRun_ChangesNothing()
    {
        var result = await RunAsync("wp", "init", "q4-upgrade", "--dry-run");

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Equal("main", Git("rev-parse", "--abbrev-ref", "HEAD"));
        Assert.False(Directory.Exists(Path.Combine(_repo, "docs")));
        Assert.Empty(_netbox.Writes);
        Assert.Contains("would create branch feature/q4-upgrade from main", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WpInit_InvalidName_UsageError()
    {
        var result = await RunAsync("wp", "init", "Q4_Upgrade");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not a valid work package name", result.Err, StringComparison.Ordinal);
        Assert.Equal(0, _netbox.RequestCount);
    }
}
