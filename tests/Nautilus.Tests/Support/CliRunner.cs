using Nautilus.Cli;
using Nautilus.Core.Configuration;

namespace Nautilus.Tests.Support;

/// <summary>Runs the real CLI in-process with its own environment, capturing stdout and stderr.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Err);

    public static readonly string RepoRoot = FindRepoRoot();

    public static string Example => Path.Combine(RepoRoot, "examples", "netbox", "dc1-refresh.json");

    public static Task<Result> RunAsync(
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null,
        IEnumerable<KeyValuePair<string, string?>>? configuration = null,
        params string[] args) => RunAsync(TimeProvider.System, environment, workingDirectory, configuration, args);

    /// <summary>Runs with <paramref name="time"/> as the CLI's clock (a fake one for waits such as a NetBox branch becoming ready).</summary>
    public static async Task<Result> RunAsync(
        TimeProvider time,
        IReadOnlyDictionary<string, string>? environment,
        string? workingDirectory,
        IEnumerable<KeyValuePair<string, string?>>? configuration,
        params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var env = new DictionaryEnvironment(environment ?? new Dictionary<string, string>(), workingDirectory ?? RepoRoot);

        // Fast retries in tests; the back-off itself is Polly's, the behaviour under test is that retries happen.
        var settings = new Dictionary<string, string?>
        {
            ["Nautilus:Http:BaseDelayMs"] = "10",
            ["Nautilus:Http:MaxRetries"] = "3",
            ["Nautilus:Http:TimeoutSeconds"] = "5",
            ["Nautilus:Http:MaxRetryAfterSeconds"] = "2",
            ["Nautilus:Git:Branch"] = "main",
        };
        foreach (var (key, value) in configuration ?? [])
        {
            settings[key] = value;
        }

        var code = await CliHost.RunAsync(args, env, stdout, stderr, settings, CancellationToken.None, time).ConfigureAwait(false);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }

    public static Task<Result> RunAsync(params string[] args) => RunAsync(null, null, null, args);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Nautilus.GitLab.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Nautilus.GitLab.sln not found above " + AppContext.BaseDirectory);
    }
}
