using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Nautilus.Testing;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.Pipelines;

/// <summary>
/// The component end to end with gitlab-ci-local: a throwaway repository includes ci-templates/ as a local
/// component, reads the example NetBox export, and runs the CLI published as the image publishes it,
/// a fake terraform that records its calls and writes plans, and a fake ansible-playbook. gitlab-ci-local exits 0
/// when a child job fails, so every job's outcome is asserted instead.
/// </summary>
[RealTool]
public sealed partial class GitLabCiLocalTests
{
    private const long ProjectId = 4242;
    private const long MergeRequestIid = 7;
    private const string BotToken = "glpat-nautilus-bot";

    private static readonly string[] Waves = ["network-foundation", "identity", "storage", "database", "application", "monitoring"];

    [Fact]
    public async Task Component_MergeRequestThenDefaultBranch_PlansEveryWaveThenAppliesInOrderBehindTheGate()
    {
        using var gitlab = new GitLabFake()
            .WithUser(90, "nautilus-bot", BotToken, bot: true)
            .WithProject(ProjectId, "group/project")
            .WithMergeRequest(ProjectId, MergeRequestIid, "feature/dc1-refresh");
        using var sandbox = await Sandbox.CreateAsync(gitlab.Url);

        // 1. A merge request from feature/dc1-refresh: generation, the child pipeline, one plan per wave, one comment.
        await sandbox.GitAsync("checkout", "-q", "-b", "feature/dc1-refresh");
        await sandbox.CommitAsync("docs/work-packages/dc1-refresh.md", "# dc1-refresh\n", "Describe the work package");
        var mr = await sandbox.RunPipelineAsync(new Dictionary<string, string>
        {
            ["CI_MERGE_REQUEST_IID"] = MergeRequestIid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CI_MERGE_REQUEST_PROJECT_ID"] = ProjectId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"] = "feature/dc1-refresh",
            ["CI_MERGE_REQUEST_TARGET_BRANCH_NAME"] = "main",
        });

        mr.Expect("nautilus-generate", "PASS");
        mr.Expect("nautilus-waves", "PASS");
        Assert.All(Waves, w => mr.Expect("plan:" + w, "PASS"));
        mr.Expect("nautilus:comment", "PASS");
        Assert.DoesNotContain(mr.Jobs.Keys, j => j.StartsWith("apply:", StringComparison.Ordinal) || j.StartsWith("configure:", StringComparison.Ordinal) || j.StartsWith("gate:", StringComparison.Ordinal));
        var plans = mr.Terraform.Where(c => c.Command == "plan").ToList();
        Assert.Equal(Waves.Order(StringComparer.Ordinal), plans.Select(p => p.Wave).Order(StringComparer.Ordinal));
        Assert.All(plans, p => Assert.Contains("-lock=false", p.Args, StringComparison.Ordinal));
        Assert.All(plans, p => Assert.EndsWith($"/projects/{ProjectId}/terraform/state/dc1-refresh-{p.Wave}", p.State, StringComparison.Ordinal));
        Assert.All(Waves, w => Assert.True(File.Exists(sandbox.RepoFile($"plans/{w}/report.json")), $"no widget report for {w}"));
        var note = Assert.Single(gitlab.NotesOf(ProjectId, MergeRequestIid));
        Assert.Contains("<!-- nautilus:plan:dc1-refresh -->", (string)note["body"]!, StringComparison.Ordinal);

        // 2. The merge to main: plans, then applies level by level; the gate on power-upgrade (1 planned device)
        //    holds database and everything after it.
        await sandbox.GitAsync("checkout", "-q", "main");
        await sandbox.GitAsync("merge", "-q", "--no-ff", "feature/dc1-refresh", "-m", "Merge branch 'feature/dc1-refresh' into 'main'");
        var merged = await sandbox.RunPipelineAsync(new Dictionary<string, string> { ["CI_COMMIT_MESSAGE"] = "Merge branch 'feature/dc1-refresh' into 'main'" });

        Assert.All(Waves, w => merged.Expect("plan:" + w, "PASS"));
        merged.Expect("gate:power-upgrade", "FAIL");
        Assert.Contains("'power-upgrade' still has 1 planned object(s)", merged.Output, StringComparison.Ordinal);
        Assert.All(["network-foundation", "identity", "storage"], w => merged.Expect("apply:" + w, "PASS"));
        Assert.All(["network-foundation", "identity", "storage"], w => merged.Expect("configure:" + w, "PASS"));
        Assert.All(["database", "application", "monitoring"], w => merged.Expect("apply:" + w, null));
        merged.Expect("nautilus:comment", null);
        Assert.All(merged.Terraform.Where(c => c.Command == "plan"), p => Assert.Contains("-lock=true", p.Args, StringComparison.Ordinal));
        AssertAppliedInLevels(merged, [["network-foundation"], ["identity", "storage"]]);
        Assert.Equal(
            ["identity", "network-foundation", "storage"],
            merged.Ansible.Select(a => Regex.Match(a, @"ansible/dc1-refresh/waves/([a-z0-9-]+)\.yml").Groups[1].Value).Order(StringComparer.Ordinal));

        // 3. Once power-upgrade is deployed (its device active in NetBox), the gate opens and every wave applies in order.
        var export = JsonNode.Parse(await File.ReadAllTextAsync(sandbox.RepoFile("netbox/dc1-refresh.json")))!;
        foreach (var device in export["devices"]!.AsArray().Where(d => d!["tags"]!.AsArray().Any(t => (string?)t!["name"] == "wp:power-upgrade")))
        {
            device!["status"] = new JsonObject { ["value"] = "active", ["label"] = "Active" };
        }

        await sandbox.CommitAsync("netbox/dc1-refresh.json", export.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), "power-upgrade deployed");
        var open = await sandbox.RunPipelineAsync(new Dictionary<string, string> { ["CI_COMMIT_MESSAGE"] = "Merge branch 'feature/dc1-refresh' into 'main'" });

        open.Expect("gate:power-upgrade", "PASS");
        Assert.All(Waves, w => open.Expect("apply:" + w, "PASS"));
        Assert.All(Waves, w => open.Expect("configure:" + w, "PASS"));
        AssertAppliedInLevels(open, [["network-foundation"], ["identity", "storage"], ["database"], ["application"], ["monitoring"]]);
    }

    [Fact]
    public async Task Component_DefaultBranchCommitThatMergedNoWorkPackage_RunsAnIdleChild()
    {
        using var gitlab = new GitLabFake();
        using var sandbox = await Sandbox.CreateAsync(gitlab.Url);
        await sandbox.CommitAsync("README.md", "# infra\n", "Update the README");

        var run = await sandbox.RunPipelineAsync(new Dictionary<string, string> { ["CI_COMMIT_MESSAGE"] = "Update the README" });

        run.Expect("nautilus-generate", "PASS");
        run.Expect("nautilus:idle", "PASS");
        Assert.Contains("merged no feature/<wp> branch: nothing to apply", run.Output, StringComparison.Ordinal);
        Assert.Empty(run.Terraform);
    }

    /// <summary>Every apply of a level comes after every apply of the level before (the log is appended in call order).</summary>
    private static void AssertAppliedInLevels(PipelineRun run, string[][] levels)
    {
        var applies = run.Terraform.Where(c => c.Command == "apply").Select(c => c.Wave).ToList();
        Assert.Equal(levels.SelectMany(l => l).Order(StringComparer.Ordinal), applies.Order(StringComparer.Ordinal));
        for (var i = 1; i < levels.Length; i++)
        {
            var lastBefore = levels[i - 1].Max(w => applies.IndexOf(w));
            var firstHere = levels[i].Min(w => applies.IndexOf(w));
            Assert.True(lastBefore < firstHere, $"level {i} ({string.Join(", ", levels[i])}) applied before level {i - 1} finished: {string.Join(" → ", applies)}");
        }
    }

    private sealed record TerraformCall(string Command, string Wave, string Args, string State);

    private sealed record PipelineRun(string Output, IReadOnlyDictionary<string, string> Jobs, IReadOnlyList<TerraformCall> Terraform, IReadOnlyList<string> Ansible)
    {
        /// <summary>PASS, FAIL, or null when the job did not run.</summary>
        public string? Outcome(string job) => Jobs.TryGetValue(job, out var outcome) ? outcome : null;

        /// <summary>Asserts a job's outcome (null: did not run), showing that job's log lines when it differs.</summary>
        public void Expect(string job, string? outcome)
        {
            if (Outcome(job) != outcome)
            {
                var lines = Output.Split('\n').Where(l => l.Contains(job, StringComparison.Ordinal)).TakeLast(40);
                throw new Xunit.Sdk.XunitException($"Job '{job}': expected {outcome ?? "not to run"}, got {Outcome(job) ?? "not run"}. Its log:\n{string.Join('\n', lines)}");
            }
        }
    }

    /// <summary>A throwaway git repository set up like a consumer project, and the fake tools on PATH.</summary>
    private sealed class Sandbox : IDisposable
    {
        private readonly TempDirectory _root = new("nautilus-gcl");
        private readonly string _gitlabUrl;
        private string _published = "";

        private Sandbox(string gitlabUrl) => _gitlabUrl = gitlabUrl;

        private string Repo => Path.Combine(_root.Path, "repo");

        private string Bin => Path.Combine(_root.Path, "bin");

        private string Log => Path.Combine(_root.Path, "calls.log");

        public string RepoFile(string relative) => Path.Combine(Repo, relative);

        public static async Task<Sandbox> CreateAsync(string gitlabUrl)
        {
            Tools.Require("NAUTILUS_TEST_GCL", "gitlab-ci-local 4.75.1 with Node 22, installed by tests/tools/setup.sh");
            var rsync = new[] { "/usr/bin/rsync", "/bin/rsync" }.FirstOrDefault(File.Exists);
            Assert.True(rsync is not null, "gitlab-ci-local needs rsync to run jobs; tests/tools/setup.sh installs it (apt-get install rsync).");

            var sandbox = new Sandbox(gitlabUrl) { _published = await PublishedApp.CliAsync() };
            Directory.CreateDirectory(sandbox.Bin);
            Directory.CreateDirectory(Path.Combine(sandbox.Repo, "templates"));
            Directory.CreateDirectory(Path.Combine(sandbox.Repo, "netbox"));
            File.CreateSymbolicLink(Path.Combine(sandbox.Bin, "nautilus"), Path.Combine(sandbox._published, "nautilus"));
            await File.WriteAllTextAsync(Path.Combine(sandbox.Bin, "terraform"), FakeTerraform);
            await File.WriteAllTextAsync(Path.Combine(sandbox.Bin, "ansible-playbook"), FakeAnsible);
            foreach (var tool in new[] { "terraform", "ansible-playbook" })
            {
                // gitlab-ci-local's shell executor needs a POSIX host; elsewhere the fakes stay unrunnable and the run fails.
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(Path.Combine(sandbox.Bin, tool), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
                }
            }

            // The component exactly as shipped, resolved locally: same project path as origin, ref = the commit.
            File.Copy(Path.Combine(CliRunner.RepoRoot, "ci-templates", "templates", "nautilus.yml"), sandbox.RepoFile("templates/nautilus.yml"));
            File.Copy(CliRunner.Example, sandbox.RepoFile("netbox/dc1-refresh.json"));
            await File.WriteAllTextAsync(sandbox.RepoFile(".gitlab-ci.yml"), """
                include:
                  - component: $CI_SERVER_FQDN/group/project/nautilus@$CI_COMMIT_SHA
                    inputs:
                      source: netbox/dc1-refresh.json
                      image: registry.example.com/platform/nautilus:0.1.0
                """);
            await File.WriteAllTextAsync(sandbox.RepoFile(".gitignore"), ".gitlab-ci-local/\n.gitlab-ci-local-variables.yml\nterraform/\nansible/\n.nautilus/\nplans/\nchild-pipeline.yml\n");

            await sandbox.GitAsync("init", "-q", "-b", "main");
            await sandbox.GitAsync("add", "-A");
            await sandbox.GitAsync("commit", "-q", "-m", "Consumer project");
            await sandbox.GitAsync("remote", "add", "origin", "https://gitlab.example.com/group/project.git");
            await sandbox.GitAsync("update-ref", "refs/remotes/origin/main", "HEAD");
            await sandbox.GitAsync("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main");
            return sandbox;
        }

        public async Task CommitAsync(string path, string content, string message)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(RepoFile(path))!);
            await File.WriteAllTextAsync(RepoFile(path), content);
            await GitAsync("add", "-A");
            await GitAsync("commit", "-q", "-m", message);
        }

        public async Task GitAsync(params string[] args)
        {
            var run = await Tools.RunAsync("git", ["-c", "user.email=ci@example.test", "-c", "user.name=ci", .. args], Repo);
            Assert.True(run.ExitCode == 0, $"git {string.Join(' ', args)}: {run.Err}");
        }

        /// <summary>
        /// Runs the whole pipeline. Variables GitLab would predefine (MR variables, the merge commit message and the
        /// project id, which gitlab-ci-local makes up) go in .gitlab-ci-local-variables.yml, which the child reads too.
        /// </summary>
        public async Task<PipelineRun> RunPipelineAsync(IReadOnlyDictionary<string, string> variables)
        {
            foreach (var generated in new[] { "terraform", "ansible", ".nautilus", "plans", ".gitlab-ci-local" })
            {
                if (Directory.Exists(RepoFile(generated)))
                {
                    Directory.Delete(RepoFile(generated), recursive: true);
                }
            }

            File.Delete(Log);
            var all = new Dictionary<string, string>(variables)
            {
                ["CI_PROJECT_ID"] = ProjectId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["NAUTILUS_GITLAB_URL"] = _gitlabUrl,
                ["NAUTILUS_GITLAB_TOKEN"] = BotToken,
            };
            await File.WriteAllLinesAsync(RepoFile(".gitlab-ci-local-variables.yml"), all.Select(kv => $"{kv.Key}: {System.Text.Json.JsonSerializer.Serialize(kv.Value)}"));

            var gcl = Tools.Require("NAUTILUS_TEST_GCL", "gitlab-ci-local");
            var (_, output) = await PublishedApp.RunAsync(
                gcl,
                ["--force-shell-executor", "--concurrency", "4"],
                Repo,
                TimeSpan.FromMinutes(8),
                new Dictionary<string, string>
                {
                    ["PATH"] = Bin + ":" + Environment.GetEnvironmentVariable("PATH"),
                    ["NAUTILUS_E2E_LOG"] = Log,
                    ["GCL_IGNORE_PREDEFINED_VARS"] = "CI_PIPELINE_SOURCE,CI_PROJECT_ID,CI_COMMIT_MESSAGE,CI_MERGE_REQUEST_IID",
                });

            var jobs = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match m in Outcome().Matches(output))
            {
                jobs[m.Groups["job"].Value] = m.Groups["outcome"].Value;
            }

            var calls = File.Exists(Log) ? await File.ReadAllLinesAsync(Log) : [];
            var terraform = calls.Where(c => c.StartsWith("terraform|", StringComparison.Ordinal))
                .Select(c => c.Split('|'))
                .Select(p => new TerraformCall(p[1], p[2].Split('/')[^1], p[3], p[4]))
                .ToList();
            var ansible = calls.Where(c => c.StartsWith("ansible-playbook|", StringComparison.Ordinal)).Select(c => c.Split('|')[1]).ToList();
            Assert.True(jobs.Count > 0, "gitlab-ci-local ran no job:\n" + output);
            return new PipelineRun(output, jobs, terraform, ansible);
        }

        public void Dispose() => _root.Dispose();
    }

    // The summary gitlab-ci-local prints last: " PASS  name", " FAIL  [parent] -> name".
    [GeneratedRegex(@"^\s*(?<outcome>PASS|FAIL)\s+(?:\[[^\]]+\] -> )?(?<job>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex Outcome();

    // Records "terraform|<command>|<dir>|<args>|<state address>"; a plan writes the saved plan, show prints plan JSON
    // in terraform show -json's shape, apply insists on the saved plan.
    private const string FakeTerraform = """
        #!/bin/sh
        dir=.
        case "$1" in -chdir=*) dir="${1#-chdir=}"; shift;; esac
        cmd="$1"; shift
        printf 'terraform|%s|%s|%s|%s\n' "$cmd" "$dir" "$*" "$TF_HTTP_ADDRESS" >> "$NAUTILUS_E2E_LOG"
        case "$cmd" in
          init) test -f "$dir/main.tf" || { echo "no main.tf in $dir" >&2; exit 1; } ;;
          plan) for a in "$@"; do case "$a" in -out=*) echo "saved plan" > "$dir/${a#-out=}";; esac; done ;;
          show) cat <<JSON
        {"format_version":"1.2","terraform_version":"1.9.8","resource_changes":[{"address":"vsphere_virtual_machine.vm","mode":"managed","type":"vsphere_virtual_machine","name":"vm","provider_name":"registry.terraform.io/hashicorp/vsphere","change":{"actions":["create"],"before":null,"after":{"name":"vm"},"after_unknown":{},"before_sensitive":false,"after_sensitive":{}}}]}
        JSON
          ;;
          apply) test -f "$dir/$2" || { echo "no saved plan $dir/$2" >&2; exit 1; } ;;
        esac
        """;

    private const string FakeAnsible = """
        #!/bin/sh
        printf 'ansible-playbook|%s\n' "$*" >> "$NAUTILUS_E2E_LOG"
        """;
}
