using System.Globalization;
using System.Text;
using Nautilus.Testing;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.PlanNotes;

public sealed class PlanCommentTests : IDisposable
{
    private const long ProjectId = 42;
    private const long Iid = 7;
    private const string BotToken = "glpat-known-gitlab-token-42";
    private const long BotId = 901;
    private readonly GitLabFake _gitlab = new();
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly PlanFixtures _plans = new();

    public PlanCommentTests()
    {
        _gitlab.WithUser(BotId, "project_42_bot_5f3a", BotToken, bot: true)
            .WithUser(12, "alice", "glpat-alice-000000000000")
            .WithJobToken("job-token-for-alice", 12)
            .WithProject(ProjectId, "infra/dc1")
            .WithMergeRequest(ProjectId, Iid, "feature/dc1-refresh");
    }

    public void Dispose()
    {
        _gitlab.Dispose();
        _plans.Dispose();
    }

    private Dictionary<string, string> MergeRequestPipeline(string? token = BotToken) => new()
    {
        ["CI"] = "true",
        ["CI_SERVER_URL"] = _gitlab.Url,
        ["CI_PROJECT_ID"] = ProjectId.ToString(CultureInfo.InvariantCulture),
        ["CI_MERGE_REQUEST_IID"] = Iid.ToString(CultureInfo.InvariantCulture),
        ["CI_MERGE_REQUEST_PROJECT_ID"] = ProjectId.ToString(CultureInfo.InvariantCulture),
        ["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"] = "feature/dc1-refresh",
        ["CI_COMMIT_SHA"] = "8d3b1c5e2f0a4b6c9d7e1f2a3b4c5d6e7f8a9b0c",
        ["CI_PIPELINE_ID"] = "5150",
        ["CI_PIPELINE_URL"] = _gitlab.Url + "/infra/dc1/-/pipelines/5150",
        ["CI_JOB_TOKEN"] = "job-token-for-alice",
        ["NAUTILUS_GITLAB_TOKEN"] = token ?? "",
    };

    private Task<CliRunner.Result> CommentAsync(Dictionary<string, string> environment, params string[] extra) =>
        CliRunner.RunAsync(environment, _plans.Root, null, ["plan", "comment", "--plans-dir", "plans", .. extra]);

    private IReadOnlyList<System.Text.Json.Nodes.JsonObject> OurNotes() =>
        _gitlab.NotesOf(ProjectId, Iid).Where(n => (long)n["author"]!["id"]! == BotId).ToList();

    [Fact]
    public async Task PlanComment_FirstRun_CreatesOneNoteWithMarkerSummaryAndDetails()
    {
        _plans.Wave("network-foundation", "lifecycle.json").Wave("identity", "requires-replace.json");

        var result = await CommentAsync(MergeRequestPipeline());

        Assert.True(result.ExitCode == 0, result.Err);
        var note = Assert.Single(OurNotes());
        var body = (string)note["body"]!;
        Assert.StartsWith("<!-- nautilus:plan:dc1-refresh -->", body, StringComparison.Ordinal);
        Assert.Contains("| `network-foundation` | – | 1 | 1 | 2 | 1 | 2 | :warning: 3 destroyed |", body, StringComparison.Ordinal);
        Assert.Contains("<details><summary>Wave <code>identity</code>", body, StringComparison.Ordinal);
        Assert.Contains("**replace (create, then destroy)**", body, StringComparison.Ordinal);
        Assert.Contains("pipeline [#5150](", body, StringComparison.Ordinal);
        Assert.StartsWith("created note ", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanComment_SecondRun_UpdatesTheSameNoteInPlace()
    {
        _plans.Wave("identity", "requires-replace.json");
        await CommentAsync(MergeRequestPipeline());
        var first = Assert.Single(OurNotes());

        _plans.Wave("identity", "basic-create.json");
        var result = await CommentAsync(MergeRequestPipeline());

        Assert.True(result.ExitCode == 0, result.Err);
        var note = Assert.Single(OurNotes());
        Assert.Equal((long)first["id"]!, (long)note["id"]!);
        Assert.Contains("3 to create", (string)note["body"]!, StringComparison.Ordinal);
        Assert.Single(_gitlab.RequestsTo("PUT", $"/notes/{first["id"]}"));
        Assert.StartsWith("updated note ", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanComment_UnchangedPlan_DoesNotWriteAgain()
    {
        _plans.Wave("identity", "requires-replace.json");
        await CommentAsync(MergeRequestPipeline());

        var result = await CommentAsync(MergeRequestPipeline());

        Assert.StartsWith("unchanged note ", result.Out, StringComparison.Ordinal);
        Assert.Single(_gitlab.Writes);
    }

    [Fact]
    public async Task PlanComment_MarkerInAnotherUsersNote_LeavesItAloneAndCreatesOwn()
    {
        var foreign = _gitlab.AddNote(ProjectId, Iid, 12, "<!-- nautilus:plan:dc1-refresh -->\nI copied the bot's note here.");
        _plans.Wave("identity", "requires-replace.json");

        var result = await CommentAsync(MergeRequestPipeline());

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Empty(_gitlab.RequestsTo("PUT", "/notes/"));
        Assert.Equal("<!-- nautilus:plan:dc1-refresh -->\nI copied the bot's note here.",
            (string)_gitlab.NotesOf(ProjectId, Iid).Single(n => (long)n["id"]! == foreign)["body"]!);
        Assert.Single(OurNotes());
    }

    [Fact]
    public async Task PlanComment_OwnNoteOnThirdPage_FoundAndUpdated()
    {
        _plans.Wave("identity", "requires-replace.json");
        _gitlab.OmitTotals = true;
        _gitlab.WithChatter(ProjectId, Iid, 12, 230);
        var ours = _gitlab.AddNote(ProjectId, Iid, BotId, "<!-- nautilus:plan:dc1-refresh -->\nold plan");

        var result = await CommentAsync(MergeRequestPipeline());

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Single(_gitlab.RequestsTo("PUT", $"/notes/{ours}"));
        Assert.Empty(_gitlab.RequestsTo("POST", "/notes"));
        Assert.Equal(3, _gitlab.RequestsTo("GET", "/notes").Count());
    }

    [Fact]
    public async Task PlanComment_RateLimitedOnce_RetriesAndPosts()
    {
        _plans.Wave("identity", "requires-replace.json");
        _gitlab.RateLimitNext(1, retryAfter: "1", resetEpoch: DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1, pathContains: "/notes");

        var result = await CommentAsync(MergeRequestPipeline());

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Single(OurNotes());
    }

    [Fact]
    public async Task PlanComment_SensitiveValuesAndKnownSecrets_NeverReachTheNote()
    {
        _plans.Wave("app", "secrets.json");
        var environment = MergeRequestPipeline();
        environment["TF_VAR_vsphere_password"] = "Sup3r-S3cret-vSphere!";

        var result = await CommentAsync(environment);

        Assert.True(result.ExitCode == 0, result.Err);
        var posted = string.Concat(_gitlab.Writes.Select(w => w.RequestMessage.Body));
        Assert.Contains("win_01", posted, StringComparison.Ordinal);
        foreach (var secret in new[] { "Old-Admin-Pa55", "New-Admin-Pa55", "Sup3r-S3cret-vSphere!", BotToken, "job-token-for-alice" })
        {
            Assert.DoesNotContain(secret, posted, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, result.Out + result.Err, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PlanComment_ResourceNamedMerge_RunsNoQuickAction()
    {
        _plans.Wave("app", "secrets.json");
        var hostile = File.ReadAllText(PlanFixtures.File("secrets.json"))
            .Replace("\"name\":\"/merge\"", "\"name\":\"/merge\\n/approve\"", StringComparison.Ordinal);
        _plans.WaveJson("edge", hostile);

        var result = await CommentAsync(MergeRequestPipeline());

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Empty(_gitlab.ExecutedQuickActions);
        var body = (string)Assert.Single(OurNotes())["body"]!;
        Assert.Contains("/merge", body, StringComparison.Ordinal);
        Assert.DoesNotContain(body.Split('\n'), line => line.TrimStart().StartsWith('/'));
    }

    [Fact]
    public async Task PlanComment_FiveMegabytePlan_StaysUnderLimitAndSummarisesEveryWave()
    {
        var waves = new[] { "network-foundation", "identity", "storage", "database", "application", "monitoring" };
        foreach (var wave in waves)
        {
            _plans.WaveJson(wave, HugePlan(wave, 2600));
        }

        var total = waves.Sum(w => new FileInfo(Path.Combine(_plans.PlansDir, w, "plan.json")).Length);
        Assert.True(total > 5_000_000, $"fixture is only {total} bytes");

        var result = await CommentAsync(MergeRequestPipeline());

        Assert.True(result.ExitCode == 0, result.Err);
        var body = (string)Assert.Single(OurNotes())["body"]!;
        Assert.True(body.Length < 1_000_000, $"note has {body.Length} characters");
        foreach (var wave in waves)
        {
            Assert.Contains($"| `{wave}` | – | 2600 | :white_check_mark: planned |", body, StringComparison.Ordinal);
        }

        Assert.True(body.Contains("left out to fit GitLab's note limit", StringComparison.Ordinal), body[^3000..]);
        Assert.Contains("/infra/dc1/-/pipelines/5150", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanComment_ManifestWithTerraformAddresses_OrdersWavesAndLinksNetBox()
    {
        _plans.Wave("identity", "requires-replace.json").Wave("network-foundation", "basic-create.json")
            .Manifest("dc1-refresh", """
                {"work_package":"dc1-refresh","source":"https://netbox.example.com","warnings":[],"waves":[
                 {"name":"network-foundation","key":"network-foundation","level":0,"depends_on":[],"depends_on_wp":[],"state_name":"dc1-refresh-network-foundation",
                  "objects":[{"type":"dcim.device","id":3,"name":"dc1-fw-01","sequence":1,"priority":null,"status":"planned","terraform_address":"test_instance.test"}]},
                 {"name":"identity","key":"identity","level":1,"depends_on":["network-foundation"],"depends_on_wp":[],"state_name":"dc1-refresh-identity",
                  "objects":[{"type":"virtualization.virtualmachine","id":12,"name":"dc1-idm-01","sequence":20,"priority":"high","status":"planned","terraform_address":"test_instance.test"}]},
                 {"name":"storage","key":"storage","level":1,"depends_on":["network-foundation"],"depends_on_wp":[],"state_name":"dc1-refresh-storage","objects":[]}]}
                """);

        var result = await CliRunner.RunAsync(NoEnvironment, _plans.Root, null, "plan", "comment", "--plans-dir", "plans", "--wp", "dc1-refresh", "--dry-run");

        Assert.True(result.ExitCode == 0, result.Err);
        var table = result.Out.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToList();
        Assert.Equal(["| `network-foundation` | 0 |", "| `identity` | 1 |", "| `storage` | 1 |"],
            table.Select(l => string.Join('|', l.Split('|').Take(3)) + "|").ToList());
        Assert.Contains("[`dc1-fw-01 (device 3)`](https://netbox.example.com/dcim/devices/3/)", result.Out, StringComparison.Ordinal);
        Assert.Contains("[`dc1-idm-01 (VM 12)`](https://netbox.example.com/virtualization/virtual-machines/12/)", result.Out, StringComparison.Ordinal);
        Assert.Contains(":grey_question: no plan", result.Out, StringComparison.Ordinal);
        Assert.Empty(_gitlab.Requests);
    }

    [Fact]
    public async Task PlanComment_TemplateOverride_RendersUserTemplate()
    {
        _plans.Wave("identity", "requires-replace.json");
        var templates = Path.Combine(_plans.Root, "my-templates", "plan");
        Directory.CreateDirectory(templates);
        File.WriteAllText(Path.Combine(templates, "comment.md.sbn"),
            "{{ marker }}\nOur house style: {{ totals.summary }}{{ for w in waves }} / {{ w.name_md }}={{ w.counts.replace }}{{ end }}\n");

        var result = await CliRunner.RunAsync(NoEnvironment, _plans.Root, null, "plan", "comment", "--plans-dir", "plans", "--wp", "dc1-refresh", "--dry-run",
            "--templates", "my-templates");

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Equal("<!-- nautilus:plan:dc1-refresh -->\nOur house style: 1 to replace / `identity`=1\n", result.Out);
    }

    /// <summary>One corrupt plan.json costs its wave, not the note: the note is posted with that wave failed and why; the job still fails.</summary>
    [Fact]
    public async Task PlanComment_OneCorruptPlan_PostsTheNoteWithThatWaveFailedAndExitsThree()
    {
        _plans.Wave("identity", "requires-replace.json").WaveJson("database", "{\"format_version\": \"1.2\", \"resource_changes\": [");

        var result = await CommentAsync(MergeRequestPipeline());

        Assert.Equal(3, result.ExitCode);
        var body = (string)Assert.Single(OurNotes())["body"]!;
        Assert.Matches(@"\| `database` \| – \|[^\n]*\| :x: plan failed \|", body);
        Assert.Contains("| `identity` | – | 1 | :warning: 1 destroyed |", body, StringComparison.Ordinal);
        Assert.Contains("**replace (destroy, then create)**", body, StringComparison.Ordinal);
        Assert.Contains("plans/database/plan.json is not the JSON of a Terraform plan", body, StringComparison.Ordinal);
        Assert.StartsWith("created note ", result.Out, StringComparison.Ordinal);
        Assert.Contains("error: The plan of wave 'database' could not be read", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanComment_BrokenTemplateOverride_FailsNamingLine()
    {
        _plans.Wave("identity", "requires-replace.json");
        Directory.CreateDirectory(Path.Combine(_plans.Root, "t", "plan"));
        File.WriteAllText(Path.Combine(_plans.Root, "t", "plan", "comment.md.sbn"), "{{ marker }}\n{{ no_such_thing }}\n");

        var result = await CliRunner.RunAsync(NoEnvironment, _plans.Root, null, "plan", "comment", "--plans-dir", "plans", "--wp", "dc1-refresh", "--dry-run",
            "--templates", "t");

        // The same words as every other template's error (one Scriban home: TemplateRenderer), naming the override file.
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"Template plan/comment.md.sbn ({Path.Combine(_plans.Root, "t", "plan", "comment.md.sbn")}) line 2, column 4:", result.Err,
            StringComparison.Ordinal);
        Assert.Contains("Fix the override or remove it to fall back to the built-in template.", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanComment_OnlyJobToken_FailsWithAuthExitBeforeAnyWrite()
    {
        _plans.Wave("identity", "requires-replace.json");

        var result = await CommentAsync(MergeRequestPipeline(token: null));

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("NAUTILUS_GITLAB_TOKEN", result.Err, StringComparison.Ordinal);
        Assert.Empty(_gitlab.Writes);
    }

    [Fact]
    public async Task PlanComment_NotAMergeRequestPipeline_FailsWithUsage()
    {
        _plans.Wave("identity", "requires-replace.json");
        var environment = MergeRequestPipeline();
        environment.Remove("CI_MERGE_REQUEST_IID");

        var result = await CommentAsync(environment);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--mr", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanComment_NoPlans_FailsWithUsageNamingTheLayout()
    {
        Directory.CreateDirectory(_plans.PlansDir);

        var result = await CommentAsync(MergeRequestPipeline());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("<wave>/plan.json", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanReport_ReplacePlan_WritesWidgetJson()
    {
        var result = await CliRunner.RunAsync(NoEnvironment, _plans.Root, null, "plan", "report", "--plan", PlanFixtures.File("requires-replace.json"),
            "--out", "report.json");

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Equal("{\"create\":1,\"update\":0,\"delete\":1}\n", File.ReadAllText(Path.Combine(_plans.Root, "report.json")));
    }

    [Fact]
    public async Task PlanReport_MissingPlan_FailsWithUsage()
    {
        var result = await CliRunner.RunAsync(NoEnvironment, _plans.Root, null, "plan", "report", "--plan", "nope.json", "--out", "-");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("terraform show -json", result.Err, StringComparison.Ordinal);
    }

    /// <summary>A plan of <paramref name="count"/> VM creates with realistic attribute payloads (~900 bytes each).</summary>
    private static string HugePlan(string wave, int count)
    {
        var sb = new StringBuilder("{\"format_version\":\"1.2\",\"terraform_version\":\"1.9.8\",\"resource_changes\":[");
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            var name = $"{wave}-vm-{i:D5}";
            sb.Append(CultureInfo.InvariantCulture, $$$$"""
                {"address":"module.{{{{wave.Replace('-', '_')}}}}.vsphere_virtual_machine.{{{{name.Replace('-', '_')}}}}","module_address":"module.{{{{wave.Replace('-', '_')}}}}","mode":"managed","type":"vsphere_virtual_machine","name":"{{{{name.Replace('-', '_')}}}}","provider_name":"registry.terraform.io/hashicorp/vsphere",
                 "change":{"actions":["create"],"before":null,"after":{"name":"{{{{name}}}}","num_cpus":4,"memory":8192,"guest_id":"ubuntu64Guest","annotation":"NetBox virtualization.virtualmachine {{{{i}}}} in wave {{{{wave}}}}; owner platform-team; created by nautilus iac generate","folder":"/dc1/vm/{{{{wave}}}}","datastore_id":"datastore-1042","resource_pool_id":"resgroup-77","wait_for_guest_net_timeout":5,
                 "network_interface":[{"adapter_type":"vmxnet3","network_id":"dvportgroup-1001"}],"disk":[{"label":"disk0","size":60,"thin_provisioned":true}],"extra_config":{"guestinfo.metadata.encoding":"base64"}},
                 "after_unknown":{"id":true,"default_ip_address":true,"uuid":true,"moid":true,"disk":[{"uuid":true,"path":true}],"network_interface":[{"mac_address":true}]},"before_sensitive":false,"after_sensitive":{"disk":[{}],"network_interface":[{}],"extra_config":{} } } }
                """);
        }

        return sb.Append("]}").ToString();
    }
}
