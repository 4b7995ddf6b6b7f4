using System.Diagnostics;
using Nautilus.Tests.Support;

namespace Nautilus.Tests;

/// <summary>
/// No C# line is longer than 160 columns, outside raw string literals (their lines are data). The fix for a long line
/// is tests/tools/wrap-long-lines.py, which breaks it where the meaning stays the same.
/// </summary>
public sealed class SourceLayoutTests
{
    [Fact]
    public async Task EveryCSharpLine_FitsIn160Columns()
    {
        var (exitCode, output) = await CheckAsync(CliRunner.RepoRoot);

        Assert.True(exitCode == 0, $"{output}Run: python3 tests/tools/wrap-long-lines.py, then build and review the diff.");
        Assert.EndsWith("0 line(s) over 160 columns outside raw string literals\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCheck_FindsALongLine_ButNotARawStringLine()
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "Long.cs");
        var message = string.Join(' ', Enumerable.Repeat("word", 40));
        await File.WriteAllTextAsync(file, $$""""
            class Long
            {
                const string Data = """
                    {{new string('x', 200)}}
                    """;
                const string Message = "{{message}}";
            }
            """");

        var (exitCode, output) = await CheckAsync(dir.Path, file);

        Assert.Equal(1, exitCode);
        Assert.Contains("Long.cs:6:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Long.cs:4:", output, StringComparison.Ordinal);
        Assert.EndsWith("1 line(s) over 160 columns outside raw string literals\n", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> CheckAsync(string directory, params string[] files)
    {
        var script = Path.Combine(CliRunner.RepoRoot, "tests", "tools", "wrap-long-lines.py");
        var start = new ProcessStartInfo("python3") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[script, "--check", .. files])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output + error);
    }
}
