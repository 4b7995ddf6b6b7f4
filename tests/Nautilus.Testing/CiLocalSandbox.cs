using Xunit;
using System.Text.RegularExpressions;

namespace Nautilus.Testing;

/// <summary>
/// A throwaway git repository set up like a consumer project that includes ci-templates/ as a local component, run
/// by gitlab-ci-local with its shell executor: the CLI published as the image publishes it is `nautilus` on PATH,
/// <see cref="FakeTerraform"/> is `terraform`, and a fake ansible-playbook records its calls. gitlab-ci-local exits 0
/// when a child job fails, so callers assert every job's outcome.
/// </summary>
public sealed partial class CiLocalSandbox : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("nautilus-gcl-").FullName;
    private readonly FakeTerraform _terraform;

    private CiLocalSandbox(FakeTerraform terraform) => _terraform = terraform;

    public string Repo => Path.Combine(_root, "repo");

    private string Bin => Path.Combine(_root, "bin");

    private string AnsibleLog => Path.Combine(_root, "ansible.log");

    public string RepoFile(string relative) => Path.Combine(Repo, relative);

    /// <summary>
    /// The repository on main with one commit: the component file at templates/nautilus.yml (same project path as
    /// origin, ref = the commit), the given files and the .gitlab-ci.yml that includes the component.
    /// </summary>
    public static async Task<CiLocalSandbox> CreateAsync(FakeTerraform terraform, string ciYaml, IReadOnlyDictionary<string, string> files)
    {
        ArgumentNullException.ThrowIfNull(terraform);
        ArgumentNullException.ThrowIfNull(files);
        Tools.Require("NAUTILUS_TEST_GCL", "gitlab-ci-local 4.75.1 with Node 22, installed by tests/tools/setup.sh");
        var rsync = new[] { "/usr/bin/rsync", "/bin/rsync" }.FirstOrDefault(File.Exists);
        Assert.True(rsync is not null, "gitlab-ci-local needs rsync to run jobs; tests/tools/setup.sh installs it (apt-get install rsync).");

        var sandbox = new CiLocalSandbox(terraform);
        var published = await PublishedApp.CliAsync().ConfigureAwait(false);
        Directory.CreateDirectory(sandbox.Bin);
        Directory.CreateDirectory(sandbox.RepoFile("templates"));
        File.CreateSymbolicLink(Path.Combine(sandbox.Bin, "nautilus"), Path.Combine(published, "nautilus"));
        await File.WriteAllTextAsync(Path.Combine(sandbox.Bin, "ansible-playbook"), "#!/bin/sh\nprintf '%s\\n' \"$*\" >> \"$NAUTILUS_E2E_ANSIBLE_LOG\"\n")
            .ConfigureAwait(false);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(sandbox.Bin, "ansible-playbook"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        File.Copy(Path.Combine(Tools.RepoRoot, "ci-templates", "templates", "nautilus.yml"), sandbox.RepoFile("templates/nautilus.yml"));
        foreach (var (path, content) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(sandbox.RepoFile(path))!);
            await File.WriteAllTextAsync(sandbox.RepoFile(path), content).ConfigureAwait(false);
        }

        await File.WriteAllTextAsync(sandbox.RepoFile(".gitlab-ci.yml"), ciYaml).ConfigureAwait(false);
        await sandbox.GitAsync("init", "-q", "-b", "main").ConfigureAwait(false);
        await sandbox.GitAsync("add", "-A").ConfigureAwait(false);
        await sandbox.GitAsync("commit", "-q", "-m", "Consumer project").ConfigureAwait(false);
        await sandbox.GitAsync("remote", "add", "origin", "https://gitlab.example.com/group/project.git").ConfigureAwait(false);
        await sandbox.GitAsync("update-ref", "refs/remotes/origin/main", "HEAD").ConfigureAwait(false);
        await sandbox.GitAsync("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main").ConfigureAwait(false);
        return sandbox;
    }

    public async Task CommitAsync(string path, string content, string message)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(RepoFile(path))!);
        await File.WriteAllTextAsync(RepoFile(path), content).ConfigureAwait(false);
        await GitAsync("add", "-A").ConfigureAwait(false);
        await GitAsync("commit", "-q", "-m", message).ConfigureAwait(false);
    }

    public async Task<string> GitAsync(params string[] args)
    {
        var run = await Tools.RunAsync("git", ["-c", "user.email=ci@example.test", "-c", "user.name=ci", .. args], Repo).ConfigureAwait(false);
        Assert.True(run.ExitCode == 0, $"git {string.Join(' ', args)}: {run.Err}");
        return run.Out.Trim();
    }

    /// <summary>Runs the CLI as a developer does on their laptop, in the repository.</summary>
    public async Task<Tools.Run> NautilusAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var published = await PublishedApp.CliAsync().ConfigureAwait(false);
        return await Tools.RunAsync(Path.Combine(published, "nautilus"), args, Repo, new Dictionary<string, string>(environment)).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the whole pipeline. Variables GitLab would predefine (MR variables, the merge commit message, the project id
    /// and the pipeline source, which gitlab-ci-local makes up) go in .gitlab-ci-local-variables.yml, which the child
    /// reads too. Files the pipeline wrote and that git does not track are removed first, as a fresh clone would be.
    /// </summary>
    public async Task<CiRun> RunPipelineAsync(IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        await GitAsync("clean", "-q", "-fdx", "-e", ".gitlab-ci-local-variables.yml").ConfigureAwait(false);
        File.Delete(AnsibleLog);
        var callsBefore = _terraform.Calls.Count;
        await File.WriteAllLinesAsync(RepoFile(".gitlab-ci-local-variables.yml"),
            variables.Select(kv => $"{kv.Key}: {System.Text.Json.JsonSerializer.Serialize(kv.Value)}")).ConfigureAwait(false);
        Assert.Contains(".gitlab-ci-local-variables.yml", await File.ReadAllTextAsync(RepoFile(".gitignore")).ConfigureAwait(false), StringComparison.Ordinal);

        var gcl = Tools.Require("NAUTILUS_TEST_GCL", "gitlab-ci-local");
        var (_, output) = await PublishedApp.RunAsync(
            gcl,
            ["--force-shell-executor", "--concurrency", "4"],
            Repo,
            TimeSpan.FromMinutes(8),
            new Dictionary<string, string>
            {
                ["PATH"] = _terraform.Directory + ":" + Bin + ":" + Environment.GetEnvironmentVariable("PATH"),
                ["NAUTILUS_E2E_ANSIBLE_LOG"] = AnsibleLog,
                ["GCL_IGNORE_PREDEFINED_VARS"] = "CI_PIPELINE_SOURCE,CI_PROJECT_ID,CI_COMMIT_MESSAGE,CI_MERGE_REQUEST_IID",
            }).ConfigureAwait(false);

        var jobs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in Outcome().Matches(output))
        {
            jobs[m.Groups["job"].Value] = m.Groups["outcome"].Value;
        }

        Assert.True(jobs.Count > 0, "gitlab-ci-local ran no job:\n" + output);
        var ansible = File.Exists(AnsibleLog) ? await File.ReadAllLinesAsync(AnsibleLog).ConfigureAwait(false) : [];
        return new CiRun(output, jobs, _terraform.Calls.Skip(callsBefore).ToList(), ansible);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    // The summary gitlab-ci-local prints last: " PASS  name", " FAIL  [parent] -> name", " WARN  name  pre_script"
    // (an allowed failure, followed by the lines it printed last).
    [GeneratedRegex(@"^[ \t]*(?<outcome>PASS|FAIL|WARN)[ \t]+(?:\[[^\]]+\] -> )?(?<job>\S+)(?:[ \t].*)?$", RegexOptions.Multiline)]
    private static partial Regex Outcome();
}

/// <summary>One gitlab-ci-local run: its output, each job's outcome, and the terraform and ansible calls it made.</summary>
public sealed record CiRun(string Output, IReadOnlyDictionary<string, string> Jobs, IReadOnlyList<FakeTerraform.Call> Terraform, IReadOnlyList<string> Ansible)
{
    /// <summary>PASS, FAIL, WARN (allowed failure), or null when the job did not run.</summary>
    public string? Outcome(string job) => Jobs.TryGetValue(job, out var outcome) ? outcome : null;

    /// <summary>Asserts a job's outcome (null: did not run), showing that job's log lines when it differs.</summary>
    public void Expect(string job, string? outcome)
    {
        if (Outcome(job) != outcome)
        {
            var lines = Output.Split('\n').Where(l => l.Contains(job, StringComparison.Ordinal)).TakeLast(60);
            throw new Xunit.Sdk.XunitException($"Job '{job}': expected {outcome ?? "not to run"}, got {Outcome(job) ?? "not run"}. Its " +
                $"log:\n{string.Join('\n', lines)}");
        }
    }

    /// <summary>The waves (directory names) of the calls of one terraform command, in call order.</summary>
    public IReadOnlyList<string> WavesOf(string command) => Terraform.Where(c => c.Command == command).Select(c => c.Wave).ToList();

    /// <summary>Every wave of a level is applied after every wave of the level before.</summary>
    public void AssertAppliedInLevels(params string[][] levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        var applies = WavesOf("apply").ToList();
        Assert.Equal(levels.SelectMany(l => l).Order(StringComparer.Ordinal), applies.Order(StringComparer.Ordinal));
        for (var i = 1; i < levels.Length; i++)
        {
            var lastBefore = levels[i - 1].Max(w => applies.IndexOf(w));
            var firstHere = levels[i].Min(w => applies.IndexOf(w));
            Assert.True(lastBefore < firstHere,
                $"level {i} ({string.Join(", ", levels[i])}) applied before level {i - 1} finished: {string.Join(" → ", applies)}");
        }
    }
}
