using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Nautilus.Testing;

/// <summary>
/// Publishes a project with exactly the `dotnet …` commands of the repository's Dockerfile, once per test run, so
/// tests run what the image runs: the output folder /app becomes a temp folder and $TARGETARCH this machine's
/// architecture. tests/Nautilus.Images.Tests builds and runs the images themselves.
/// </summary>
public static class PublishedApp
{
    private static readonly Lazy<Task<string>> Cli = new(() => PublishAsync("Nautilus.Cli"));
    private static readonly Lazy<Task<string>> Webhooks = new(() => PublishAsync("Nautilus.Webhooks"));

    public static string DockerfilePath => Path.Combine(Tools.RepoRoot, "Dockerfile");

    /// <summary>The folder holding the published CLI, the executable `nautilus` the cli image puts on PATH.</summary>
    public static Task<string> CliAsync() => Cli.Value;

    /// <summary>The folder holding the published webhook service (nautilus-webhooks.dll), as the webhooks image holds it.</summary>
    public static Task<string> WebhooksAsync() => Webhooks.Value;

    /// <summary>
    /// The Dockerfile's dotnet commands for one project, in order: RUN instructions joined across line
    /// continuations, without their --mount options.
    /// </summary>
    public static IReadOnlyList<string> DockerfileCommands(string project)
    {
        var instructions = new List<string>();
        var current = new StringBuilder();
        foreach (var line in File.ReadAllLines(DockerfilePath))
        {
            var text = line.Trim();
            if (current.Length == 0 && (text.Length == 0 || text.StartsWith('#')))
            {
                continue;
            }

            current.Append(text.TrimEnd('\\').Trim()).Append(' ');
            if (!text.EndsWith('\\'))
            {
                instructions.Add(current.ToString().Trim());
                current.Clear();
            }
        }

        return instructions
            .Where(i => i.StartsWith("RUN ", StringComparison.Ordinal))
            .Select(i => string.Join(' ',
                i["RUN ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipWhile(w => w.StartsWith("--mount=", StringComparison.Ordinal))))
            .Where(c => c.StartsWith("dotnet ", StringComparison.Ordinal) && c.Contains($"src/{project}/{project}.csproj", StringComparison.Ordinal))
            .ToList();
    }

    /// <summary>This machine's architecture as Docker names it in TARGETARCH.</summary>
    private static string TargetArch => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    };

    private static async Task<string> PublishAsync(string project)
    {
        var output = Path.Combine(Path.GetTempPath(), $"nautilus-publish-{project}-{Guid.NewGuid():N}");

        // Shared by the tests of this run; removed when the test host exits, and, as the host may be killed
        // instead, older runs' folders (over an hour old, long past any test run) are removed here.
        foreach (var stale in new DirectoryInfo(Path.GetTempPath()).EnumerateDirectories("nautilus-publish-*")
            .Where(d => d.LastWriteTimeUtc < DateTime.UtcNow.AddHours(-1)))
        {
            try
            {
                stale.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(output, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        };
        var commands = DockerfileCommands(project);
        if (!commands.Any(c => c.StartsWith("dotnet publish", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"The Dockerfile has no 'RUN dotnet publish src/{project}/{project}.csproj' line.");
        }

        foreach (var command in commands)
        {
            var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(w => w switch { "/app" => output, "$TARGETARCH" or "${TARGETARCH}" => TargetArch, _ => w })
                .ToList();
            // The test assemblies run in parallel processes and each publishes: one at a time per project, as two
            // publishes of one project share its obj/ folder (ReadyToRun compiles into obj/…/R2R/). flock(1) blocks
            // until the other has finished.
            var (code, log) = await RunAsync("flock", [LockFile(project), .. words], Tools.RepoRoot, TimeSpan.FromMinutes(10));
            if (code != 0)
            {
                throw new InvalidOperationException($"'{string.Join(' ', words)}' failed ({code}):\n{log}");
            }
        }

        return output;
    }

    private static string LockFile(string project)
    {
        var obj = Path.Combine(Tools.RepoRoot, "src", project, "obj");
        Directory.CreateDirectory(obj);
        return Path.Combine(obj, "publish.lock");
    }

    public static async Task<(int Code, string Output)> RunAsync(
        string file, IEnumerable<string> args, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var gate = new Lock();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}:\n{output}");
        }

        process.WaitForExit();
        lock (gate)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}
