using System.Diagnostics;
using Nautilus.Tests.Support;

namespace Nautilus.Tests;

/// <summary>No two folders of Nautilus.Core use each other, directly or around a loop (docs/design.md §1.2).</summary>
public sealed class CoreFolderCycleTests
{
    [Fact]
    public async Task CoreFolders_UsingDirectives_FormNoCycle()
    {
        var script = Path.Combine(CliRunner.RepoRoot, "tests", "tools", "using-cycles.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"{output}{error}");
        Assert.EndsWith("no cycles\n", output, StringComparison.Ordinal);
        // The script sees edges (Vault uses Secrets), and the loop that was there is gone (Secrets no longer uses Vault).
        var lines = output.Split('\n');
        Assert.Contains("Secrets", Assert.Single(lines, l => l.StartsWith("Vault -> ", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.DoesNotContain("Vault", Assert.Single(lines, l => l.StartsWith("Secrets -> ", StringComparison.Ordinal)), StringComparison.Ordinal);
    }
}
