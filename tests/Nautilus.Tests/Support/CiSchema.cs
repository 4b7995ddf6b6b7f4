using System.Diagnostics;

namespace Nautilus.Tests.Support;

/// <summary>Validates CI YAML files against GitLab's vendored CI schema (Fixtures/GitLab) with the real jsonschema validator.</summary>
public static class CiSchema
{
    public static string SchemaPath => Path.Combine(CliRunner.RepoRoot, "tests", "Nautilus.Tests", "Fixtures", "GitLab", "ci.json");

    private static string ValidatorPath => Path.Combine(CliRunner.RepoRoot, "tests", "Nautilus.Tests", "Fixtures", "GitLab", "validate_ci.py");

    /// <summary>Fails the test with the validator's findings unless every file validates.</summary>
    public static async Task AssertValidAsync(params string[] files)
    {
        var (code, output) = await RunAsync(files);
        Assert.True(code == 0, $"GitLab's CI schema rejects {string.Join(", ", files)}:\n{output}");
    }

    public static async Task<(int Code, string Output)> RunAsync(params string[] files)
    {
        var python = Environment.GetEnvironmentVariable("NAUTILUS_TEST_PYTHON");
        if (string.IsNullOrEmpty(python))
        {
            Assert.Fail("NAUTILUS_TEST_PYTHON is not set: run the tests through tests/run.sh, or export it (eval \"$(tests/tools/setup.sh)\"); it names a " +
                "python3 with jsonschema and yaml.");
        }

        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ValidatorPath);
        start.ArgumentList.Add(SchemaPath);
        foreach (var file in files)
        {
            start.ArgumentList.Add(file);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
