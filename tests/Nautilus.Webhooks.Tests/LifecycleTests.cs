using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nautilus.Core.Planning;
using Nautilus.Testing;
using Nautilus.Webhooks.Tests.Support;

namespace Nautilus.Webhooks.Tests;

/// <summary>
/// The whole flow as a team runs it (docs/design.md, "Lifecycle"): a consumer repository including the component, run
/// by gitlab-ci-local; a live NetBox (NetBoxFake, no export file); the real nautilus-webhooks process receiving the
/// Merge Request and Pipeline Hooks GitLab would send; GitLabFake for notes, commits, files and state; and a fake
/// terraform whose outputs carry each object's address. The reviewed change must be the applied change, and NetBox
/// must tell the truth at every step.
/// </summary>
[RealTool]
public sealed class LifecycleTests
{
    private const long Project = 4242;
    private const long Iid = 7;
    private const string Wp = "dc1-refresh";
    private const string BotToken = "glpat-nautilus-bot";
    private const string NetBoxToken = "0123456789abcdef0123456789abcdef01234567";
    private const string Secret = "lifecycle-webhook-secret";
    private const string Admin = "lifecycle-admin-token";
    private const string MergeMessage = "Merge branch 'feature/dc1-refresh' into 'main'";

    [Fact]
    public async Task BranchReviewMergeDeploy_AppliesExactlyTheReviewedWavesInOrder_AndNetBoxTellsTheTruth()
    {
        using var netBox = new NetBoxFake().WithExport(Path.Combine(Tools.RepoRoot, "examples", "netbox", "dc1-refresh.json"));
        using var gitLab = GitLabWithMergeRequest();
        using var terraform = new FakeTerraform();
        await using var service = await StartServiceAsync(netBox, gitLab, syncOn: null);
        using var sandbox = await CiLocalSandbox.CreateAsync(terraform, CiYaml(netBox.Url), new Dictionary<string, string>
        {
            [".gitignore"] = ".gitlab-ci-local/\n.gitlab-ci-local-variables.yml\nplans/\nchild-pipeline.yml\n.terraform/\nplan.cache\n",
        });
        var laptop = new Dictionary<string, string> { ["NAUTILUS_NETBOX_URL"] = netBox.Url, ["NAUTILUS_NETBOX_TOKEN"] = NetBoxToken };

        // a) The branch commits the generated code; its MR pipeline checks it, plans every wave and posts one note.
        await sandbox.GitAsync("checkout", "-q", "-b", "feature/dc1-refresh");
        var generated = await sandbox.NautilusAsync(laptop, "iac", "generate", "--wp", Wp, "--out", ".");
        Assert.True(generated.ExitCode == 0, generated.Err);
        await sandbox.GitAsync("add", "-A");
        await sandbox.GitAsync("commit", "-q", "-m", "Generate dc1-refresh");
        var manifest = Manifest.TryRead(sandbox.RepoFile($".nautilus/{Wp}/manifest.json"))!;
        var waves = manifest.Waves.OrderBy(w => w.Level).ThenBy(w => w.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(["network-foundation", "identity", "storage", "database", "application", "monitoring"], waves.Select(w => w.Key));
        foreach (var wave in waves)
        {
            terraform.WithAddresses(wave.Key, wave.Objects.Select(o => (o.Type, o.Id, o.Name, (string?)AddressOf(o.Id))).ToArray());
        }

        var mr = await sandbox.RunPipelineAsync(MergeRequestVariables(gitLab.Url));
        mr.Expect("nautilus-generate", "PASS");
        Assert.All(waves, w => mr.Expect("plan:" + w.Key, "PASS"));
        mr.Expect("nautilus:comment", "PASS");
        Assert.DoesNotContain(mr.Jobs.Keys, j => j.StartsWith("apply:", StringComparison.Ordinal));
        Assert.Contains("<!-- nautilus:plan:dc1-refresh -->", (string)Assert.Single(gitLab.NotesOf(Project, Iid))["body"]!, StringComparison.Ordinal);

        // b) NetBox moves on during the review: the check names the object and field and exits 8; the pipeline
        //    (stale: commit) pushes exactly one commit and runs no plan.
        var resized = waves.Single(w => w.Key == "database").Objects.First(o => o.Type == "virtualization.virtualmachine");
        netBox.Edit("virtualization/virtual-machines", resized.Id, vm => vm["vcpus"] = 24);
        var check = await sandbox.NautilusAsync(laptop, "iac", "generate", "--wp", Wp, "--out", ".", "--check");
        Assert.True(check.ExitCode == 8, $"iac generate --check exited {check.ExitCode}:\n{check.Out}\n{check.Err}");
        Assert.Contains(resized.Name, check.Out, StringComparison.Ordinal);
        Assert.Contains("vcpus", check.Out, StringComparison.Ordinal);
        var tracked = (await sandbox.GitAsync("ls-files")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        gitLab.WithBranch(Project, "feature/dc1-refresh", await sandbox.GitAsync("rev-parse", "HEAD"),
            tracked.ToDictionary(f => f, f => File.ReadAllText(sandbox.RepoFile(f))));
        var stale = await sandbox.RunPipelineAsync(MergeRequestVariables(gitLab.Url));
        stale.Expect("nautilus-generate", "PASS");
        Assert.DoesNotContain(stale.Jobs.Keys, j => j.StartsWith("plan:", StringComparison.Ordinal));
        var pushed = Assert.Single(gitLab.Commits);
        Assert.Equal("feature/dc1-refresh", pushed.Branch);
        Assert.Contains(pushed.Actions, a => ((string?)a["file_path"])?.EndsWith("database/main.tf", StringComparison.Ordinal) == true);

        // The team pulls that commit (the same regeneration) and the review goes on with it.
        Assert.Equal(0, (await sandbox.NautilusAsync(laptop, "iac", "generate", "--wp", Wp, "--out", ".")).ExitCode);
        await sandbox.GitAsync("add", "-A");
        await sandbox.GitAsync("commit", "-q", "-m", "Regenerate dc1-refresh from NetBox");
        manifest = Manifest.TryRead(sandbox.RepoFile($".nautilus/{Wp}/manifest.json"))!;
        var reviewed = manifest.Waves.SelectMany(w => w.Objects).ToList();

        // c) The merge: GitLab sends the Merge Request Hook before the default-branch pipeline runs. In deploy mode
        //    it journals each reviewed object and lists the waves; nothing flips yet.
        await sandbox.GitAsync("checkout", "-q", "main");
        await sandbox.GitAsync("merge", "-q", "--no-ff", "feature/dc1-refresh", "-m", MergeMessage);
        var mergeCommit = await sandbox.GitAsync("rev-parse", "HEAD");
        gitLab.Merge(Project, Iid, mergeCommit)
            .WithFile(Project, mergeCommit, $".nautilus/{Wp}/manifest.json", await File.ReadAllTextAsync(sandbox.RepoFile($".nautilus/{Wp}/manifest.json")));
        await DeliverAsync(service, "Merge Request Hook", Payloads.Merged("feature/dc1-refresh", iid: Iid, projectId: Project, mergeCommit: mergeCommit));
        Assert.All(reviewed, o => Assert.Equal("planned", StatusOf(netBox, o)));
        Assert.All(reviewed, o => Assert.Single(EntriesOn(netBox, o)));
        var mergeNote = MergeNote(gitLab);
        Assert.All(waves, w => Assert.Contains(w.Name, mergeNote, StringComparison.Ordinal));

        // After the merge, NetBox changes again: a VM joins the work package, another is resized. Neither is reviewed.
        netBox.AddVirtualMachine(9001, "dc1-unreviewed-01", "planned", [$"wp:{Wp}", "wave:network-foundation"], vcpus: 2, memory: 4096, disk: 40);
        var resizedAfter = waves.Single(w => w.Key == "application").Objects.First(o => o.Type == "virtualization.virtualmachine");
        netBox.Edit("virtualization/virtual-machines", resizedAfter.Id, vm => vm["vcpus"] = 64);

        // f) The gate on power-upgrade stays closed: its one device is still planned, merged or not.
        var first = await sandbox.RunPipelineAsync(DefaultBranchVariables(gitLab.Url));
        first.Expect("gate:power-upgrade", "FAIL");
        Assert.All(["network-foundation", "identity", "storage"], w => first.Expect("apply:" + w, "PASS"));
        Assert.All(["database", "application", "monitoring"], w => first.Expect("apply:" + w, null));
        first.AssertAppliedInLevels(["network-foundation"], ["identity", "storage"]);
        Assert.All(first.Terraform.Where(c => c.Command == "apply"), c => Assert.Equal(["apply", "-input=false", "plan.cache"], c.Arguments));

        // d) After each apply, the wave's objects are active with their address and one deploy journal entry each.
        var deployed = manifest.Waves.Where(w => w.Level <= 1).SelectMany(w => w.Objects).ToList();
        Assert.All(deployed, o => Assert.Equal("active", StatusOf(netBox, o)));
        Assert.All(deployed.Where(o => o.Type == "virtualization.virtualmachine"), o => Assert.Equal(AddressOf(o.Id) + "/32", PrimaryIp4Of(netBox, o)));
        Assert.All(deployed, o => Assert.Single(EntriesOn(netBox, o), e => (string?)e["kind"]!["value"] == "success"));
        Assert.All(reviewed.Except(deployed), o => Assert.Equal("planned", StatusOf(netBox, o)));
        Assert.Equal("planned", (string)netBox.Find("virtualization/virtual-machines", 9001)!["status"]!["value"]!);

        // The Pipeline Hook for those jobs (the safety net when NetBox was down) finds nothing left to write.
        var journalBefore = netBox.JournalEntries.Count;
        var patchesBefore = netBox.Requests.Count(r => r.RequestMessage.Method == "PATCH");
        await DeliverAsync(service, "Pipeline Hook", Payloads.Pipeline(
            1001, Project, mergeCommit, (Wp, "network-foundation", "success", 5001), (Wp, "identity", "success", 5002), (Wp, "storage", "success", 5003)));
        Assert.Equal(journalBefore, netBox.JournalEntries.Count);
        Assert.Equal(patchesBefore, netBox.Requests.Count(r => r.RequestMessage.Method == "PATCH"));

        // The dependency merges: in deploy mode its objects stay planned, so the gate stays closed ...
        gitLab.WithMergeRequest(Project, 8, "feature/power-upgrade").Merge(Project, 8, "0000000000000000000000000000000000000008");
        await DeliverAsync(service, "Merge Request Hook",
            Payloads.Merged("feature/power-upgrade", iid: 8, projectId: Project, mergeCommit: "0000000000000000000000000000000000000008"));
        var gate = await sandbox.NautilusAsync(laptop, "pipeline", "gate", "power-upgrade", "--for", Wp);
        Assert.True(gate.ExitCode != 0, "the gate opened at the dependency's merge:\n" + gate.Out + gate.Err);

        // ... until it is deployed.
        DeployPowerUpgrade(netBox);

        // e) A failing middle wave: application's apply fails. Levels before it apply; monitoring does not run; its
        //    objects stay planned with a danger entry each; the MR note names the failure.
        terraform.FailOn("application", "apply");
        var second = await sandbox.RunPipelineAsync(DefaultBranchVariables(gitLab.Url));
        second.Expect("gate:power-upgrade", "PASS");
        Assert.All(["network-foundation", "identity", "storage", "database"], w => second.Expect("apply:" + w, "PASS"));
        second.Expect("apply:application", "FAIL");
        second.Expect("apply:monitoring", null);
        Assert.Contains(second.Output.Split('\n'),
            l => l.Contains("apply:application", StringComparison.Ordinal) && l.Contains("FAIL 6", StringComparison.Ordinal));
        var failed = manifest.Waves.Single(w => w.Key == "application").Objects;
        Assert.All(failed, o => Assert.Equal("planned", StatusOf(netBox, o)));
        Assert.All(failed, o => Assert.Single(EntriesOn(netBox, o), e => (string?)e["kind"]!["value"] == "danger"));
        Assert.All(manifest.Waves.Single(w => w.Key == "database").Objects, o => Assert.Equal("active", StatusOf(netBox, o)));
        await DeliverAsync(service, "Pipeline Hook",
            Payloads.Pipeline(1002, Project, mergeCommit, (Wp, "database", "success", 6004), (Wp, "application", "failed", 6005)));
        var failureNote = MergeNote(gitLab);
        Assert.NotEqual(mergeNote, failureNote);
        Assert.Contains("/-/jobs/6005", failureNote, StringComparison.Ordinal);

        // Fixed and run again: every reviewed wave is applied, in level order, and nothing unreviewed ever was.
        terraform.Heal("application", "apply");
        var third = await sandbox.RunPipelineAsync(DefaultBranchVariables(gitLab.Url));
        Assert.All(waves, w => third.Expect("apply:" + w.Key, "PASS"));
        third.AssertAppliedInLevels(["network-foundation"], ["identity", "storage"], ["database"], ["application"], ["monitoring"]);
        Assert.All(reviewed, o => Assert.Equal("active", StatusOf(netBox, o)));
        Assert.Equal("planned", (string)netBox.Find("virtualization/virtual-machines", 9001)!["status"]!["value"]!);
        Assert.DoesNotContain(netBox.JournalEntries, e => (int)e["assigned_object_id"]! == 9001);
        Assert.DoesNotContain("dc1-unreviewed-01",
            string.Concat(Directory.EnumerateFiles(sandbox.RepoFile($"terraform/{Wp}"), "*.tf", SearchOption.AllDirectories).Select(File.ReadAllText)),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncOnMerge_FlipsAtMerge_AndThePipelineStillAppliesEveryWave()
    {
        using var netBox = new NetBoxFake().WithExport(Path.Combine(Tools.RepoRoot, "examples", "netbox", "dc1-refresh.json"));
        DeployPowerUpgrade(netBox);

        using var gitLab = GitLabWithMergeRequest();
        using var terraform = new FakeTerraform();
        await using var service = await StartServiceAsync(netBox, gitLab, syncOn: "merge");
        using var sandbox = await CiLocalSandbox.CreateAsync(terraform, CiYaml(netBox.Url), new Dictionary<string, string>
        {
            [".gitignore"] = ".gitlab-ci-local/\n.gitlab-ci-local-variables.yml\nplans/\nchild-pipeline.yml\n.terraform/\nplan.cache\n",
        });
        await sandbox.GitAsync("checkout", "-q", "-b", "feature/dc1-refresh");
        var generated = await sandbox.NautilusAsync(new Dictionary<string, string> { ["NAUTILUS_NETBOX_URL"] = netBox.Url,
            ["NAUTILUS_NETBOX_TOKEN"] = NetBoxToken }, "iac", "generate", "--wp", Wp, "--out", ".");
        Assert.True(generated.ExitCode == 0, generated.Err);
        await sandbox.GitAsync("add", "-A");
        await sandbox.GitAsync("commit", "-q", "-m", "Generate dc1-refresh");
        var manifest = Manifest.TryRead(sandbox.RepoFile($".nautilus/{Wp}/manifest.json"))!;
        var reviewed = manifest.Waves.SelectMany(w => w.Objects).ToList();
        await sandbox.GitAsync("checkout", "-q", "main");
        await sandbox.GitAsync("merge", "-q", "--no-ff", "feature/dc1-refresh", "-m", MergeMessage);
        var mergeCommit = await sandbox.GitAsync("rev-parse", "HEAD");
        gitLab.Merge(Project, Iid, mergeCommit);

        // The merge flips every reviewed object at once (what merge mode gives up: NetBox says active before anything runs).
        await DeliverAsync(service, "Merge Request Hook", Payloads.Merged("feature/dc1-refresh", iid: Iid, projectId: Project, mergeCommit: mergeCommit));
        Assert.All(reviewed, o => Assert.Equal("active", StatusOf(netBox, o)));

        // The pipeline still applies every wave, in level order, from the committed manifest.
        var run = await sandbox.RunPipelineAsync(DefaultBranchVariables(gitLab.Url));
        Assert.All(manifest.Waves, w => run.Expect("apply:" + w.Key, "PASS"));
        run.AssertAppliedInLevels(["network-foundation"], ["identity", "storage"], ["database"], ["application"], ["monitoring"]);
        Assert.All(reviewed, o => Assert.Equal("active", StatusOf(netBox, o)));
    }

    [Fact]
    public async Task WithNetBoxBranching_TheBranchsChangesAreReviewedInTheMergeRequest_AndMergedIntoMainWithTheCode()
    {
        using var netBox = new NetBoxFake().WithExport(Path.Combine(Tools.RepoRoot, "examples", "netbox", "dc1-refresh.json")).WithBranching();
        netBox.ProvisioningPolls = 1;
        DeployPowerUpgrade(netBox);

        using var gitLab = GitLabWithMergeRequest();
        using var terraform = new FakeTerraform();
        await using var service = await StartServiceAsync(netBox, gitLab, syncOn: null, "--Nautilus:Webhooks:BranchJobPollInterval", "00:00:00.100");
        using var sandbox = await CiLocalSandbox.CreateAsync(terraform, CiYaml(netBox.Url), new Dictionary<string, string>
        {
            [".gitignore"] = ".gitlab-ci-local/\n.gitlab-ci-local-variables.yml\nplans/\nchild-pipeline.yml\n.terraform/\nplan.cache\n",
        });
        var laptop = new Dictionary<string, string> { ["NAUTILUS_NETBOX_URL"] = netBox.Url, ["NAUTILUS_NETBOX_TOKEN"] = NetBoxToken };

        // The branch is pushed: the service makes the NetBox branch dc1-refresh. A planner resizes a VM inside it.
        await sandbox.GitAsync("checkout", "-q", "-b", "feature/dc1-refresh");
        await DeliverAsync(service, "Push Hook",
            Payloads.BranchCreated("feature/dc1-refresh", commit: await sandbox.GitAsync("rev-parse", "HEAD"), projectId: Project));
        Assert.Equal("ready", Assert.Single(netBox.Branches).Status);
        const int Resized = 21; // dc1-db-01, 8 vCPUs in main
        netBox.EditInBranch("dc1-refresh", "virtualization/virtual-machines", Resized, vm => vm["vcpus"] = 16);

        // Generation on the branch reads the NetBox branch; the MR plans it and its note shows the NetBox change.
        var generated = await sandbox.NautilusAsync(laptop, "iac", "generate", "--wp", Wp, "--out", ".");
        Assert.True(generated.ExitCode == 0, generated.Err);
        Assert.Contains("NetBox branch", generated.Err, StringComparison.Ordinal);
        Assert.Matches(@"num_cpus\s+= 16\n", await File.ReadAllTextAsync(sandbox.RepoFile($"terraform/{Wp}/database/main.tf")));
        await sandbox.GitAsync("add", "-A");
        await sandbox.GitAsync("commit", "-q", "-m", "Generate dc1-refresh");
        var mr = await sandbox.RunPipelineAsync(MergeRequestVariables(gitLab.Url));
        mr.Expect("nautilus-generate", "PASS");
        mr.Expect("nautilus:comment", "PASS");
        var note = (string)Assert.Single(gitLab.NotesOf(Project, Iid))["body"]!;
        Assert.Contains("NetBox changes in branch", note, StringComparison.Ordinal);
        Assert.Contains("dc1-db-01", note, StringComparison.Ordinal);
        Assert.Equal(8m, VcpusOf(netBox, Resized));

        // The merge merges the NetBox branch into main before anything else; the default branch then applies it all.
        await sandbox.GitAsync("checkout", "-q", "main");
        await sandbox.GitAsync("merge", "-q", "--no-ff", "feature/dc1-refresh", "-m", MergeMessage);
        var mergeCommit = await sandbox.GitAsync("rev-parse", "HEAD");
        gitLab.Merge(Project, Iid, mergeCommit)
            .WithFile(Project, mergeCommit, $".nautilus/{Wp}/manifest.json", await File.ReadAllTextAsync(sandbox.RepoFile($".nautilus/{Wp}/manifest.json")));
        await DeliverAsync(service, "Merge Request Hook", Payloads.Merged("feature/dc1-refresh", iid: Iid, projectId: Project, mergeCommit: mergeCommit));
        Assert.Equal("merged", Assert.Single(netBox.Branches).Status);
        Assert.Equal(16m, VcpusOf(netBox, Resized));

        var manifest = Manifest.TryRead(sandbox.RepoFile($".nautilus/{Wp}/manifest.json"))!;
        var run = await sandbox.RunPipelineAsync(DefaultBranchVariables(gitLab.Url));
        Assert.All(manifest.Waves, w => run.Expect("apply:" + w.Key, "PASS"));
        Assert.All(manifest.Waves.SelectMany(w => w.Objects), o => Assert.Equal("active", StatusOf(netBox, o)));
    }

    /// <summary>power-upgrade, the work package dc1-refresh depends on, deployed: its one device active, the gate open.</summary>
    private static void DeployPowerUpgrade(NetBoxFake netBox)
    {
        foreach (var device in netBox.Devices.Where(d => d["tags"]!.AsArray().Any(t => (string?)t!["name"] == "wp:power-upgrade")).ToList())
        {
            device["status"] = new JsonObject { ["value"] = "active", ["label"] = "Active" };
        }
    }

    private static GitLabFake GitLabWithMergeRequest() => new GitLabFake()
        .WithUser(90, "nautilus-bot", BotToken, bot: true)
        .WithProject(Project, "group/project")
        .WithMergeRequest(Project, Iid, "feature/dc1-refresh");

    private static async Task<ServiceProcess> StartServiceAsync(NetBoxFake netBox, GitLabFake gitLab, string? syncOn, params string[] options)
    {
        var store = Directory.CreateTempSubdirectory("nautilus-lifecycle-store-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["NAUTILUS_NETBOX_URL"] = netBox.Url,
            ["NAUTILUS_NETBOX_TOKEN"] = NetBoxToken,
            ["NAUTILUS_GITLAB_URL"] = gitLab.Url,
            ["NAUTILUS_GITLAB_TOKEN"] = BotToken,
            ["NAUTILUS_WEBHOOK_SECRET"] = Secret,
            ["NAUTILUS_ADMIN_TOKEN"] = Admin,
            ["NAUTILUS_STORE"] = Path.Combine(store, "deliveries.db"),
        };
        if (syncOn is not null)
        {
            environment["NAUTILUS_SYNC_ON"] = syncOn;
        }

        return await ServiceProcess.StartAsync(environment, options);
    }

    private static string CiYaml(string netBoxUrl) => $$"""
        include:
          - component: $CI_SERVER_FQDN/group/project/nautilus@$CI_COMMIT_SHA
            inputs:
              netbox_url: {{netBoxUrl}}
              stale: commit
              image: registry.example.com/platform/nautilus:0.1.0
        """;

    private static Dictionary<string, string> Common(string gitLabUrl) => new()
    {
        ["NAUTILUS_GITLAB_URL"] = gitLabUrl,
        ["CI_PROJECT_ID"] = Project.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["NAUTILUS_NETBOX_TOKEN"] = NetBoxToken,
        ["NAUTILUS_GITLAB_TOKEN"] = BotToken,
    };

    private static Dictionary<string, string> MergeRequestVariables(string gitLabUrl)
    {
        var variables = Common(gitLabUrl);
        variables["CI_MERGE_REQUEST_IID"] = Iid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        variables["CI_MERGE_REQUEST_PROJECT_ID"] = Project.ToString(System.Globalization.CultureInfo.InvariantCulture);
        variables["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"] = "feature/dc1-refresh";
        variables["CI_MERGE_REQUEST_TARGET_BRANCH_NAME"] = "main";
        return variables;
    }

    private static Dictionary<string, string> DefaultBranchVariables(string gitLabUrl)
    {
        var variables = Common(gitLabUrl);
        variables["CI_COMMIT_MESSAGE"] = MergeMessage;
        return variables;
    }

    private static decimal VcpusOf(NetBoxFake netBox, int id) =>
        decimal.Parse(netBox.Find("virtualization/virtual-machines", id)!["vcpus"]!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    private static string AddressOf(int id) => $"10.20.{id / 250}.{(id % 250) + 1}";

    private static string StatusOf(NetBoxFake netBox, ManifestObject o) =>
        (string)netBox.Find(o.Type == "dcim.device" ? "dcim/devices" : "virtualization/virtual-machines", o.Id)!["status"]!["value"]!;

    private static string? PrimaryIp4Of(NetBoxFake netBox, ManifestObject o) =>
        netBox.Find("virtualization/virtual-machines", o.Id)!["primary_ip4"] is JsonObject ip ? (string?)ip["address"] : null;

    private static List<JsonObject> EntriesOn(NetBoxFake netBox, ManifestObject o) =>
        netBox.JournalEntries.Where(e => (int)e["assigned_object_id"]! == o.Id && (string?)e["assigned_object_type"] == o.Type).ToList();

    private static string MergeNote(GitLabFake gitLab) =>
        (string)Assert.Single(gitLab.NotesOf(Project, Iid),
            n => ((string)n["body"]!).Contains($"nautilus:merge-sync:{Wp}:{Iid}", StringComparison.Ordinal))["body"]!;

    /// <summary>Posts a GitLab delivery to the service and waits until the service has finished every delivery.</summary>
    private static async Task DeliverAsync(ServiceProcess service, string eventName, string body)
    {
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/gitlab") { Content = Payloads.Json(body) })
        {
            request.Headers.Add("X-Gitlab-Event", eventName);
            request.Headers.Add("X-Gitlab-Token", Secret);
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            using var response = await service.Client.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, $"{eventName}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        await Eventually.TrueAsync(
            async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/deliveries?limit=1000");
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Admin);
                using var response = await service.Client.SendAsync(request);
                response.EnsureSuccessStatusCode();
                var deliveries = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
                var failed = deliveries.FirstOrDefault(d => d.GetProperty("status").GetString() is "failed" or "dead");
                Assert.True(failed.ValueKind == JsonValueKind.Undefined, $"a delivery failed: {failed}\n{service.Output}");
                return deliveries.All(d => d.GetProperty("status").GetString() == "done");
            },
            $"the service processing the {eventName}",
            () => service.Output);
    }
}
