using Nautilus.Testing;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.Pipelines;

public sealed class PipelineGenerateTests
{
    private const string Parent = "pipeline:nautilus:generate";

    private static async Task<(CliRunner.Result Result, string Yaml)> GenerateAsync(TempDirectory dir, string source, string wp, params string[] more)
    {
        var output = dir.File("child-pipeline.yml");
        string[] args = ["pipeline", "generate", "--wp", wp, "--source", source, "--parent-job", "nautilus:generate", "--out", output, .. more];
        var result = await CliRunner.RunAsync(args);
        return (result, File.Exists(output) ? await File.ReadAllTextAsync(output) : "");
    }

    [Fact]
    [RealTool]
    public async Task PipelineGenerate_Example_ValidatesAgainstGitLabSchema()
    {
        using var dir = new TempDirectory();
        var (result, _) = await GenerateAsync(dir, CliRunner.Example, "dc1-refresh", "--image", "registry.example.com/nautilus:0.1.0");

        Assert.Equal(0, result.ExitCode);
        await CiSchema.AssertValidAsync(dir.File("child-pipeline.yml"));
    }

    [Fact]
    public async Task PipelineGenerate_Example_JobsFollowTheWaveGraph()
    {
        using var dir = new TempDirectory();
        var (result, yaml) = await GenerateAsync(dir, CliRunner.Example, "dc1-refresh");
        Assert.Equal(0, result.ExitCode);
        var ci = new CiYaml(yaml);

        string[] waves = ["network-foundation", "identity", "storage", "database", "application", "monitoring"];
        Assert.Equal(
            ["gate:power-upgrade", .. waves.Select(w => "plan:" + w), "nautilus:comment", .. waves.Select(w => "apply:" + w),
                .. waves.Select(w => "configure:" + w)],
            ci.JobNames);
        Assert.Equal(["gate", "plan", "report", "apply-0", "configure-0", "apply-1", "configure-1", "apply-2", "configure-2", "apply-3", "configure-3",
            "apply-4", "configure-4"], ci.Stages);

        // Plans start at once with the parent's generated code; applies need their plan and the applies of the waves before.
        Assert.Equal([Parent], ci.Needs("plan:identity"));
        Assert.Equal(["plan:network-foundation", Parent], ci.Needs("apply:network-foundation"));
        Assert.Equal(["plan:identity", "apply:network-foundation", Parent], ci.Needs("apply:identity"));
        Assert.Equal(["plan:database", "apply:identity", "apply:storage", "gate:power-upgrade", Parent], ci.Needs("apply:database"));
        Assert.Equal(["plan:application", "apply:database", Parent], ci.Needs("apply:application"));
        Assert.Equal(["apply:database", Parent], ci.Needs("configure:database"));
        Assert.Equal([.. waves.Select(w => "plan:" + w), Parent], ci.Needs("nautilus:comment"));

        // Applies: default branch only, one at a time per state, an environment per wave.
        Assert.Equal([("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", (string?)null)], ci.Rules("apply:database"));
        Assert.Equal("dc1-refresh-database", CiYaml.Scalar(ci.Job("apply:database"), "resource_group"));
        Assert.Equal("dc1-refresh/database", CiYaml.Scalar(ci.Mapping("apply:database", "environment")!, "name"));
        Assert.Equal([("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", (string?)null)], ci.Rules("gate:power-upgrade"));
        Assert.Equal([("$CI_MERGE_REQUEST_IID", "always")], ci.Rules("nautilus:comment"));
        Assert.Empty(ci.Rules("plan:database"));

        // State through TF_HTTP_* variables; MR plans without the lock; the widget report per plan.
        Assert.Equal("${CI_API_V4_URL}/projects/${CI_PROJECT_ID}/terraform/state/dc1-refresh-database", ci.Variable("plan:database", "TF_HTTP_ADDRESS"));
        Assert.Equal("${CI_API_V4_URL}/projects/${CI_PROJECT_ID}/terraform/state/dc1-refresh-database/lock",
            ci.Variable("apply:database", "TF_HTTP_LOCK_ADDRESS"));
        Assert.Equal("gitlab-ci-token", ci.GlobalVariable("TF_HTTP_USERNAME"));
        Assert.Equal("${CI_JOB_TOKEN}", ci.GlobalVariable("TF_HTTP_PASSWORD"));
        Assert.Contains(ci.Script("plan:database"),
            line => line.Contains("-lock=false", StringComparison.Ordinal) && line.Contains("CI_MERGE_REQUEST_IID", StringComparison.Ordinal));
        Assert.Contains("nautilus plan report --plan plans/database/plan.json --out plans/database/report.json", ci.Script("plan:database"));
        Assert.Equal("plans/database/report.json",
            CiYaml.Scalar((YamlDotNet.RepresentationModel.YamlMappingNode)ci.Mapping("plan:database", "artifacts")!["reports"], "terraform"));
        Assert.Equal(["nautilus plan comment --plans-dir plans --wp dc1-refresh"], ci.Script("nautilus:comment"));
        // The apply reads the checked-out layout: --dir (deploy's input folder), not generate's --out.
        Assert.Contains(ci.Script("apply:database"),
            line => line.StartsWith("nautilus iac deploy --wp dc1-refresh --wave database --dir . --saved-plan plan.cache", StringComparison.Ordinal));
        Assert.Equal(["nautilus pipeline gate power-upgrade --for dc1-refresh --source " + Path.GetRelativePath(CliRunner.RepoRoot, CliRunner.Example)],
            ci.Script("gate:power-upgrade"));
        Assert.Equal(["ansible-playbook -i ansible/dc1-refresh/inventory.yml ansible/dc1-refresh/waves/database.yml"], ci.Script("configure:database"));
        Assert.DoesNotContain("warning", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PipelineGenerate_SameInput_ByteIdenticalOutput()
    {
        using var dir = new TempDirectory();
        var (_, first) = await GenerateAsync(dir, CliRunner.Example, "dc1-refresh");
        var (_, second) = await GenerateAsync(dir, CliRunner.Example, "dc1-refresh");

        Assert.NotEmpty(first);
        Assert.Equal(first, second);
    }

    [Fact]
    [RealTool]
    public async Task PipelineGenerate_OneWave_PlanApplyConfigureAndComment()
    {
        using var dir = new TempDirectory();
        var source = new SyntheticExport().Vm("solo-01", "solo", "only", 10).Vm("solo-02", "solo", "only", 11).WriteTo(dir.Path);
        var (result, yaml) = await GenerateAsync(dir, source, "solo");

        Assert.Equal(0, result.ExitCode);
        var ci = new CiYaml(yaml);
        Assert.Equal(["plan:only", "nautilus:comment", "apply:only", "configure:only"], ci.JobNames);
        Assert.Equal(["plan", "report", "apply-0", "configure-0"], ci.Stages);
        Assert.Equal(["plan:only", Parent], ci.Needs("apply:only"));
        await CiSchema.AssertValidAsync(dir.File("child-pipeline.yml"));
    }

    [Fact]
    [RealTool]
    public async Task PipelineGenerate_SixtyWavesInOneLevel_FallsBackToStageOrderOverFiftyNeeds()
    {
        using var dir = new TempDirectory();
        var export = new SyntheticExport();
        for (var i = 1; i <= 60; i++)
        {
            export.Vm($"vm-{i:00}", "wide", $"w{i:00}", 10);
        }

        export.Vm("app-01", "wide", "after", 20);
        var (result, yaml) = await GenerateAsync(dir, export.WriteTo(dir.Path), "wide");

        Assert.Equal(0, result.ExitCode);
        var ci = new CiYaml(yaml);

        // 61 plans + the parent's code: over 50, so the comment waits for the plan stage instead; same for the
        // wave after, which depends on 60 applies.
        Assert.Null(ci.Needs("nautilus:comment"));
        Assert.Null(ci.Needs("apply:after"));
        Assert.Equal("apply-1", CiYaml.Scalar(ci.Job("apply:after"), "stage"));
        Assert.True(ci.Stages.ToList().IndexOf("apply-0") < ci.Stages.ToList().IndexOf("apply-1"));

        // Jobs within the limit keep their needs; the code job re-publishes the parent's artifacts for the others.
        Assert.Equal(["plan:w07", Parent], ci.Needs("apply:w07"));
        Assert.Equal([Parent], ci.Needs("nautilus:code"));
        Assert.Equal(".pre", CiYaml.Scalar(ci.Job("nautilus:code"), "stage"));
        Assert.All(ci.JobNames, job => Assert.True((ci.Needs(job)?.Count ?? 0) <= 50, job));
        Assert.Contains("'nautilus:comment' would need 62 jobs", result.Err, StringComparison.Ordinal);
        await CiSchema.AssertValidAsync(dir.File("child-pipeline.yml"));
    }

    [Fact]
    public async Task PipelineGenerate_MaxNeedsLowered_FallsBackAtThatLimit()
    {
        using var dir = new TempDirectory();
        var (result, yaml) = await GenerateAsync(dir, CliRunner.Example, "dc1-refresh", "--max-needs", "4");

        Assert.Equal(0, result.ExitCode);
        var ci = new CiYaml(yaml);
        Assert.Null(ci.Needs("apply:database"));
        Assert.Equal(["plan:identity", "apply:network-foundation", Parent], ci.Needs("apply:identity"));
    }

    [Fact]
    [RealTool]
    public async Task PipelineGenerate_WaveNameNotAValidJobName_UsesItsSafeKeyEverywhere()
    {
        using var dir = new TempDirectory();
        var odd = "Web Tier: \"EU\" ${file(\"/etc/passwd\")} #1";
        var source = new SyntheticExport().Vm("web-01", "odd", odd, 10).Vm("db-01", "odd", "include", 5).WriteTo(dir.Path);
        var (result, yaml) = await GenerateAsync(dir, source, "odd");

        Assert.Equal(0, result.ExitCode);
        var ci = new CiYaml(yaml);
        const string Key = "web-tier---eu----file---etc-passwd-----1";
        Assert.Equal(["plan:include", $"plan:{Key}", "nautilus:comment", "apply:include", $"apply:{Key}", "configure:include", $"configure:{Key}"],
            ci.JobNames);
        Assert.Equal($"terraform/odd/{Key}", ci.Variable($"plan:{Key}", "TF_ROOT"));
        Assert.Equal($"odd-{Key}", CiYaml.Scalar(ci.Job($"apply:{Key}"), "resource_group"));
        Assert.DoesNotContain("passwd\")", yaml, StringComparison.Ordinal);
        await CiSchema.AssertValidAsync(dir.File("child-pipeline.yml"));
    }

    [Fact]
    [RealTool]
    public async Task PipelineGenerate_CrossPackageDependency_GateNeededOnlyByDependentApplies()
    {
        using var dir = new TempDirectory();
        var source = new SyntheticExport()
            .Vm("net-01", "app", "net", 10)
            .Vm("db-01", "app", "db", 10, "planned", "depends-on:wp:storage-refresh")
            .Vm("web-01", "app", "web", 20)
            .Vm("nas-01", "storage-refresh", "nas", 10)
            .WriteTo(dir.Path);
        var (result, yaml) = await GenerateAsync(dir, source, "app");

        Assert.Equal(0, result.ExitCode);
        var ci = new CiYaml(yaml);
        Assert.Equal("gate", CiYaml.Scalar(ci.Job("gate:storage-refresh"), "stage"));
        Assert.Contains("gate:storage-refresh", ci.Needs("apply:db")!);
        Assert.DoesNotContain("gate:storage-refresh", ci.Needs("apply:net")!);

        // web comes after db, so the gate holds it back through apply:db.
        Assert.Equal(["plan:web", "apply:db", "apply:net", Parent], ci.Needs("apply:web"));
        Assert.Equal([Parent], ci.Needs("gate:storage-refresh"));
        await CiSchema.AssertValidAsync(dir.File("child-pipeline.yml"));
    }

    [Fact]
    [RealTool]
    public async Task PipelineGenerate_ManualApplyAndTofu_ApplyWaitsAndJobsUseTofu()
    {
        using var dir = new TempDirectory();
        var (result, yaml) = await GenerateAsync(dir, CliRunner.Example, "dc1-refresh", "--manual-apply", "--tf-bin", "tofu", "--terraform-image",
            "ghcr.io/opentofu/opentofu:1.10");

        Assert.Equal(0, result.ExitCode);
        var ci = new CiYaml(yaml);
        Assert.Equal([("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", "manual")], ci.Rules("apply:storage"));
        Assert.Equal([("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", (string?)null)], ci.Rules("configure:storage"));
        Assert.Equal("tofu", ci.GlobalVariable("NAUTILUS_TF_BIN"));
        Assert.Equal("ghcr.io/opentofu/opentofu:1.10", CiYaml.Scalar(ci.Job("plan:storage"), "image"));
        Assert.Null(CiYaml.Scalar(ci.Job("configure:storage"), "image"));
        await CiSchema.AssertValidAsync(dir.File("child-pipeline.yml"));
    }

    [Fact]
    public async Task PipelineGenerate_OverGitLabsSizeLimit_FailsSayingSo()
    {
        using var dir = new TempDirectory();
        var export = new SyntheticExport();
        for (var i = 1; i <= 700; i++)
        {
            export.Vm($"vm-{i:000}", "huge", $"wave-with-a-long-descriptive-name-{i:000}", i);
        }

        var (result, _) = await GenerateAsync(dir, export.WriteTo(dir.Path), "huge");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("over GitLab's limit of 2,097,152 bytes", result.Err, StringComparison.Ordinal);
        Assert.Contains("--wave", result.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("child-pipeline.yml")));
    }

    [Fact]
    [RealTool]
    public async Task PipelineGenerate_NoPlannedObjectsLeft_WritesIdlePipeline()
    {
        using var dir = new TempDirectory();
        var source = new SyntheticExport().Vm("done-01", "done", "only", 10, "active").WriteTo(dir.Path);
        var (result, yaml) = await GenerateAsync(dir, source, "done");

        Assert.Equal(0, result.ExitCode);
        var ci = new CiYaml(yaml);
        Assert.Equal(["nautilus:idle"], ci.JobNames);
        Assert.Contains("no planned objects", ci.Script("nautilus:idle")[0], StringComparison.Ordinal);
        await CiSchema.AssertValidAsync(dir.File("child-pipeline.yml"));
    }

    [Fact]
    [RealTool]
    public async Task PipelineGenerate_Idle_WritesReasonWithoutReadingNetBox()
    {
        using var dir = new TempDirectory();
        var output = dir.File("child.yml");
        var result = await CliRunner.RunAsync("pipeline", "generate", "--idle", "Commit abc merged no work package; it's fine", "--out", output);

        Assert.Equal(0, result.ExitCode);
        var ci = new CiYaml(await File.ReadAllTextAsync(output));
        Assert.Equal(["echo 'Commit abc merged no work package; it'\\''s fine'"], ci.Script("nautilus:idle"));
        await CiSchema.AssertValidAsync(output);
    }

    [Fact]
    public async Task PipelineGate_DependencyStillPlanned_Exit3NamingObjects()
    {
        var result = await CliRunner.RunAsync("pipeline", "gate", "power-upgrade", "--for", "dc1-refresh", "--source", CliRunner.Example);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("'power-upgrade' still has 1 planned object(s)", result.Err, StringComparison.Ordinal);
        Assert.Contains("depends-on:wp:power-upgrade", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PipelineGate_DependencyDeployed_OpensGate()
    {
        using var dir = new TempDirectory();
        var source = new SyntheticExport().Vm("pdu-01", "power", "only", 10, "active").WriteTo(dir.Path);
        var result = await CliRunner.RunAsync("pipeline", "gate", "power", "--source", source);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("gate is open", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PipelineGate_UnknownPackage_Exit3GateStaysClosed()
    {
        var result = await CliRunner.RunAsync("pipeline", "gate", "nobody", "--source", CliRunner.Example);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("The gate stays closed", result.Err, StringComparison.Ordinal);
        Assert.Contains("holds no object of work package 'nobody' at all", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PipelineGenerate_LiveNetBoxUrlOption_GateJobsReadTheSameNetBox()
    {
        using var netbox = new NetBoxFake().WithExport(CliRunner.Example);
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string> { ["NAUTILUS_NETBOX_TOKEN"] = "0123456789abcdef0123456789abcdef01234567" };
        var result = await CliRunner.RunAsync(env, null, null, "pipeline", "generate", "--wp", "dc1-refresh", "--netbox-url", netbox.Url, "--out",
            dir.File("child.yml"));

        Assert.Equal(0, result.ExitCode);
        var ci = new CiYaml(await File.ReadAllTextAsync(dir.File("child.yml")));
        Assert.Equal([$"nautilus pipeline gate power-upgrade --for dc1-refresh --netbox-url {netbox.Url}"], ci.Script("gate:power-upgrade"));
        Assert.Equal([], ci.Needs("gate:power-upgrade"));
        Assert.DoesNotContain("0123456789abcdef", await File.ReadAllTextAsync(dir.File("child.yml")), StringComparison.Ordinal);

        var gate = await CliRunner.RunAsync(env, null, null, "pipeline", "gate", "power-upgrade", "--for", "dc1-refresh", "--netbox-url", netbox.Url);
        Assert.Equal(3, gate.ExitCode);
        Assert.Contains("'power-upgrade' still has 1 planned object(s)", gate.Err, StringComparison.Ordinal);
    }
}
