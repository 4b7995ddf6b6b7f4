using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Nautilus.Testing;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.Pipelines;

/// <summary>
/// The component end to end with gitlab-ci-local: a throwaway repository includes ci-templates/ as a local
/// component, reads the example NetBox export, commits the generated code on the branch as a team does, and runs the CLI published as the image publishes it,
/// a fake terraform that records its calls and writes plans, and a fake ansible-playbook. gitlab-ci-local exits 0
/// when a child job fails, so every job's outcome is asserted instead.
/// </summary>
[RealTool]
public sealed class GitLabCiLocalTests
{
    private const long ProjectId = 4242;
    private const long MergeRequestIid = 7;
    private const string BotToken = "glpat-nautilus-bot";

    private static readonly string[] Waves = ["network-foundation", "identity", "storage", "database", "application", "monitoring"];

    [Fact]
    public async Task Component_MergeRequestThenDefaultBranch_PlansTheCommittedCodeThenAppliesItInOrderBehindTheGate()
    {
        using var gitlab = new GitLabFake()
            .WithUser(90, "nautilus-bot", BotToken, bot: true)
            .WithProject(ProjectId, "group/project")
            .WithMergeRequest(ProjectId, MergeRequestIid, "feature/dc1-refresh");
        using var terraform = new FakeTerraform();
        using var sandbox = await CreateSandboxAsync(terraform);

        // 1. The branch commits the generated code (the developer ran iac generate); its merge request checks it is
        //    current, plans every wave and posts one comment.
        await sandbox.GitAsync("checkout", "-q", "-b", "feature/dc1-refresh");
        var generated = await sandbox.NautilusAsync(new Dictionary<string, string>(), "iac", "generate", "--wp", "dc1-refresh", "--source",
            "netbox/dc1-refresh.json", "--out", ".");
        Assert.True(generated.ExitCode == 0, generated.Err);
        await sandbox.GitAsync("add", "-A");
        await sandbox.GitAsync("commit", "-q", "-m", "Generate dc1-refresh");
        terraform.FailOn("database", "plan");
        var mr = await sandbox.RunPipelineAsync(Variables(gitlab, new()
        {
            ["CI_MERGE_REQUEST_IID"] = MergeRequestIid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CI_MERGE_REQUEST_PROJECT_ID"] = ProjectId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"] = "feature/dc1-refresh",
            ["CI_MERGE_REQUEST_TARGET_BRANCH_NAME"] = "main",
        }));

        mr.Expect("nautilus-generate", "PASS");
        Assert.Contains("up to date", mr.Output, StringComparison.OrdinalIgnoreCase);
        mr.Expect("nautilus-waves", "PASS");
        Assert.All(Waves.Where(w => w != "database"), w => mr.Expect("plan:" + w, "PASS"));
        mr.Expect("plan:database", "FAIL");
        mr.Expect("nautilus:comment", "PASS");
        Assert.DoesNotContain(mr.Jobs.Keys,
            j => j.StartsWith("apply:", StringComparison.Ordinal) || j.StartsWith("configure:", StringComparison.Ordinal)
            || j.StartsWith("gate:", StringComparison.Ordinal));
        var plans = mr.Terraform.Where(c => c.Command == "plan").ToList();
        Assert.Equal(Waves.Order(StringComparer.Ordinal), plans.Select(p => p.Wave).Order(StringComparer.Ordinal));
        Assert.All(plans, p => Assert.Contains("-lock=false", p.Arguments));
        Assert.All(plans, p => Assert.EndsWith($"/projects/{ProjectId}/terraform/state/dc1-refresh-{p.Wave}", p.Environment["TF_HTTP_ADDRESS"],
            StringComparison.Ordinal));
        Assert.Equal(Waves.Order(StringComparer.Ordinal), mr.WavesOf("validate").Order(StringComparer.Ordinal));
        Assert.Equal(Waves.Order(StringComparer.Ordinal), mr.WavesOf("fmt").Order(StringComparer.Ordinal));
        var note = (string)Assert.Single(gitlab.NotesOf(ProjectId, MergeRequestIid))["body"]!;
        Assert.Contains("<!-- nautilus:plan:dc1-refresh -->", note, StringComparison.Ordinal);

        // The failed plan job saved its error and its URL even so (artifacts when: always); the planned waves their
        // `terraform show` text.
        Assert.Matches(@"\| `database` \| 2 \| – \| :x: \[plan failed\]\(http[^)]+\) \|", note);
        Assert.Contains("<pre><code>Error: fake failure of 'plan' in database</code></pre>", note, StringComparison.Ordinal);
        Assert.Matches(@":x: plan failed — \[job\]\(http[^)]+\)", note);
        Assert.Equal(Waves.Length - 1, Regex.Matches(note, "<summary>terraform show</summary>").Count);
        Assert.Contains("  # vsphere_virtual_machine.vm will be created", note, StringComparison.Ordinal);
        terraform.Heal("database", "plan");

        // 2. The merge to main applies the committed code level by level, through iac deploy and the saved plans; the
        //    gate on power-upgrade (1 planned device) holds database and everything after it.
        await sandbox.GitAsync("checkout", "-q", "main");
        await sandbox.GitAsync("merge", "-q", "--no-ff", "feature/dc1-refresh", "-m", "Merge branch 'feature/dc1-refresh' into 'main'");
        var merged = await sandbox.RunPipelineAsync(Variables(gitlab, new() { ["CI_COMMIT_MESSAGE"] = "Merge branch 'feature/dc1-refresh' into 'main'" }));

        Assert.All(Waves, w => merged.Expect("plan:" + w, "PASS"));
        merged.Expect("gate:power-upgrade", "FAIL");
        Assert.Contains("'power-upgrade' still has 1 planned object(s)", merged.Output, StringComparison.Ordinal);
        Assert.All(["network-foundation", "identity", "storage"], w => merged.Expect("apply:" + w, "PASS"));
        Assert.All(["network-foundation", "identity", "storage"], w => merged.Expect("configure:" + w, "PASS"));
        Assert.All(["database", "application", "monitoring"], w => merged.Expect("apply:" + w, null));
        merged.Expect("nautilus:comment", null);
        Assert.All(merged.Terraform.Where(c => c.Command == "plan"), p => Assert.Contains("-lock=true", p.Arguments));
        Assert.All(merged.Terraform.Where(c => c.Command == "apply"), a => Assert.Equal(["apply", "-input=false", "plan.cache"], a.Arguments));
        merged.AssertAppliedInLevels(["network-foundation"], ["identity", "storage"]);
        Assert.Contains("nautilus iac deploy --wp dc1-refresh --wave network-foundation", merged.Output, StringComparison.Ordinal);
        Assert.Equal(
            ["identity", "network-foundation", "storage"],
            merged.Ansible.Select(a => Regex.Match(a, @"ansible/dc1-refresh/waves/([a-z0-9-]+)\.yml").Groups[1].Value).Order(StringComparer.Ordinal));

        // 3. Once power-upgrade is deployed (its device active in NetBox), the gate opens and every wave applies in order.
        var export = JsonNode.Parse(await File.ReadAllTextAsync(sandbox.RepoFile("netbox/dc1-refresh.json")))!;
        foreach (var device in export["devices"]!.AsArray().Where(d => d!["tags"]!.AsArray().Any(t => (string?)t!["name"] == "wp:power-upgrade")))
        {
            device!["status"] = new JsonObject { ["value"] = "active", ["label"] = "Active" };
        }

        await sandbox.CommitAsync("netbox/dc1-refresh.json", export.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }),
            "power-upgrade deployed");
        var open = await sandbox.RunPipelineAsync(Variables(gitlab, new() { ["CI_COMMIT_MESSAGE"] = "Merge branch 'feature/dc1-refresh' into 'main'" }));

        open.Expect("gate:power-upgrade", "PASS");
        Assert.All(Waves, w => open.Expect("apply:" + w, "PASS"));
        Assert.All(Waves, w => open.Expect("configure:" + w, "PASS"));
        open.AssertAppliedInLevels(["network-foundation"], ["identity", "storage"], ["database"], ["application"], ["monitoring"]);
    }

    [Fact]
    public async Task Component_DefaultBranchCommitThatMergedNoWorkPackage_RunsAnIdleChild()
    {
        using var gitlab = new GitLabFake();
        using var terraform = new FakeTerraform();
        using var sandbox = await CreateSandboxAsync(terraform);
        await sandbox.CommitAsync("README.md", "# infra\n", "Update the README");

        var run = await sandbox.RunPipelineAsync(Variables(gitlab, new() { ["CI_COMMIT_MESSAGE"] = "Update the README" }));

        run.Expect("nautilus-generate", "PASS");
        run.Expect("nautilus:idle", "PASS");
        Assert.Contains("merged no feature/<wp> branch: nothing to apply", run.Output, StringComparison.Ordinal);
        Assert.Empty(run.Terraform);
    }

    [Fact]
    public async Task Component_ScheduledPipeline_DriftOpensOneIssueUpdatesItAndClosesItOnceClean()
    {
        using var netBox = new NetBoxFake();
        netBox.AddVirtualMachine(1, "alpha-web-01", tags: ["wp:alpha"], customFields: Deploy.DeployWorld.Fields("a", 10), vcpus: 2, memory: 4096, disk: 50000);
        netBox.AddVirtualMachine(2, "alpha-web-02", tags: ["wp:alpha"], customFields: Deploy.DeployWorld.Fields("a", 11), vcpus: 2, memory: 4096, disk: 50000);
        using var gitlab = new GitLabFake().WithUser(90, "nautilus-bot", BotToken, bot: true).WithProject(ProjectId, "group/project");
        using var terraform = new FakeTerraform();
        using var sandbox = await CiLocalSandbox.CreateAsync(
            terraform,
            $$"""
            include:
              - component: $CI_SERVER_FQDN/group/project/nautilus@$CI_COMMIT_SHA
                inputs:
                  netbox_url: {{netBox.Url}}
                  image: registry.example.com/platform/nautilus:0.1.0
            """,
            new Dictionary<string, string> { [".gitignore"] = ".gitlab-ci-local/\n.gitlab-ci-local-variables.yml\nplans/\nchild-pipeline.yml\n" });

        // Work package alpha was generated, reviewed, merged and deployed: its code is on main, its VMs active.
        var laptop = new Dictionary<string, string> { ["NAUTILUS_NETBOX_URL"] = netBox.Url, ["NAUTILUS_NETBOX_TOKEN"] = Deploy.DeployWorld.NetBoxToken };
        var generated = await sandbox.NautilusAsync(laptop, "iac", "generate", "--wp", "alpha", "--out", ".");
        Assert.True(generated.ExitCode == 0, generated.Err);
        await sandbox.GitAsync("add", "-A");
        await sandbox.GitAsync("commit", "-q", "-m", "Merge branch 'feature/alpha' into 'main'");
        foreach (var id in new[] { 1, 2 })
        {
            netBox.Edit("virtualization/virtual-machines", id, vm => vm["status"] = new JsonObject { ["value"] = "active", ["label"] = "Active" });
        }

        var schedule = Variables(gitlab, new() { ["CI_PIPELINE_SOURCE"] = "schedule", ["NAUTILUS_NETBOX_TOKEN"] = Deploy.DeployWorld.NetBoxToken });

        // alpha-web-02 is in no state: drift, one issue, the job an allowed failure; nothing else runs on a schedule.
        gitlab.WithTerraformState(ProjectId, "alpha-a", Drift.DriftTests.State((1, "alpha-web-01", 2, 4096, 50)));
        var first = await sandbox.RunPipelineAsync(schedule);
        first.Expect("nautilus-drift", "WARN");
        first.Expect("nautilus-generate", null);
        first.Expect("nautilus-waves", null);
        var issue = Assert.Single(gitlab.IssuesOf(ProjectId));
        Assert.Equal("opened", (string)issue["state"]!);
        Assert.Contains("alpha-web-02", (string)issue["description"]!, StringComparison.Ordinal);

        // Different drift: the same issue, updated.
        gitlab.WithTerraformState(ProjectId, "alpha-a", Drift.DriftTests.State((1, "alpha-web-01", 4, 4096, 50), (2, "alpha-web-02", 2, 4096, 50)));
        var second = await sandbox.RunPipelineAsync(schedule);
        second.Expect("nautilus-drift", "WARN");
        issue = Assert.Single(gitlab.IssuesOf(ProjectId));
        Assert.Contains("| attribute_mismatch |", (string)issue["description"]!, StringComparison.Ordinal);
        Assert.DoesNotContain("alpha-web-02", (string)issue["description"]!, StringComparison.Ordinal);

        // Clean: the issue is closed and the job passes.
        gitlab.WithTerraformState(ProjectId, "alpha-a", Drift.DriftTests.State((1, "alpha-web-01", 2, 4096, 50), (2, "alpha-web-02", 2, 4096, 50)));
        var clean = await sandbox.RunPipelineAsync(schedule);
        clean.Expect("nautilus-drift", "PASS");
        Assert.Equal("closed", (string)Assert.Single(gitlab.IssuesOf(ProjectId))["state"]!);
    }

    private static Dictionary<string, string> Variables(GitLabFake gitlab, Dictionary<string, string> variables)
    {
        variables["CI_PROJECT_ID"] = ProjectId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        variables["NAUTILUS_GITLAB_URL"] = gitlab.Url;
        variables["NAUTILUS_GITLAB_TOKEN"] = BotToken;
        return variables;
    }

    /// <summary>A consumer project reading the example export; generated code is committed, pipeline output is not.</summary>
    private static Task<CiLocalSandbox> CreateSandboxAsync(FakeTerraform terraform) =>
        CiLocalSandbox.CreateAsync(
            terraform,
            """
            include:
              - component: $CI_SERVER_FQDN/group/project/nautilus@$CI_COMMIT_SHA
                inputs:
                  source: netbox/dc1-refresh.json
                  image: registry.example.com/platform/nautilus:0.1.0
            """,
            new Dictionary<string, string>
            {
                ["netbox/dc1-refresh.json"] = File.ReadAllText(CliRunner.Example),
                [".gitignore"] = ".gitlab-ci-local/\n.gitlab-ci-local-variables.yml\nplans/\nchild-pipeline.yml\n.terraform/\nplan.cache\n",
            });
}
