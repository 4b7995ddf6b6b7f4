using System.Diagnostics;
using Nautilus.Testing;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.Pipelines;

/// <summary>
/// The generated plan job's script, run line by line in POSIX sh (as a GitLab runner runs it in an image without bash)
/// against the fake terraform: what it leaves under plans/&lt;wave&gt;/ for the MR note, failed or not (docs/design.md §5, §6).
/// </summary>
public sealed class PlanJobScriptTests
{
    private static async Task<(int ExitCode, string Log, string Dir)> RunPlanJobAsync(TempDirectory dir, FakeTerraform terraform)
    {
        var generated = await CliRunner.RunAsync(["pipeline", "generate", "--wp", "dc1-refresh", "--source", CliRunner.Example, "--out",
            dir.File("child-pipeline.yml")]);
        Assert.True(generated.ExitCode == 0, generated.Err);
        var ci = new CiYaml(await File.ReadAllTextAsync(dir.File("child-pipeline.yml")));

        // Everything but the widget report, which needs the CLI on PATH (the pipeline tests run it for real).
        var script = string.Join("\n", ["set -e", .. ci.Script("plan:database").Where(l => !l.StartsWith("nautilus ", StringComparison.Ordinal))]);
        Directory.CreateDirectory(dir.File("terraform/dc1-refresh/database"));
        var start = new ProcessStartInfo("/bin/sh", ["-c", script]) { WorkingDirectory = dir.Path, RedirectStandardOutput = true,
            RedirectStandardError = true };
        start.Environment["NAUTILUS_TF_BIN"] = terraform.Path;
        start.Environment["TF_ROOT"] = "terraform/dc1-refresh/database";
        start.Environment["CI_JOB_URL"] = "https://gitlab.example.com/infra/dc1/-/jobs/777";
        start.Environment["CI_MERGE_REQUEST_IID"] = "7";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr, dir.File("plans/database"));
    }

    [Fact]
    public async Task PlanJob_PlanFails_FailsTheJobAndKeepsTheErrorAndTheJobUrlForTheNote()
    {
        using var dir = new TempDirectory();
        using var terraform = new FakeTerraform().FailOn("database", "plan");

        var (exitCode, log, plans) = await RunPlanJobAsync(dir, terraform);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Error: fake failure of 'plan' in database", log, StringComparison.Ordinal);
        Assert.Equal("Error: fake failure of 'plan' in database\n", await File.ReadAllTextAsync(Path.Combine(plans, "error.txt")));
        Assert.Equal("https://gitlab.example.com/infra/dc1/-/jobs/777\n", await File.ReadAllTextAsync(Path.Combine(plans, "job-url.txt")));
        Assert.False(File.Exists(Path.Combine(plans, "plan.json")));
    }

    /// <summary>A shell executor runs several plan jobs on one host at once: no fixed temporary path may be shared.</summary>
    [Fact]
    public async Task PlanJob_Script_SharesNoFixedTemporaryFileWithOtherJobs()
    {
        using var dir = new TempDirectory();
        var generated = await CliRunner.RunAsync(["pipeline", "generate", "--wp", "dc1-refresh", "--source", CliRunner.Example, "--out",
            dir.File("child-pipeline.yml")]);
        Assert.True(generated.ExitCode == 0, generated.Err);

        Assert.DoesNotContain(new CiYaml(await File.ReadAllTextAsync(dir.File("child-pipeline.yml"))).Script("plan:database"),
            l => l.Contains("/tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PlanJob_PlanSucceeds_SavesThePlanAndItsTextAndNoError()
    {
        using var dir = new TempDirectory();
        using var terraform = new FakeTerraform();

        var (exitCode, log, plans) = await RunPlanJobAsync(dir, terraform);

        Assert.True(exitCode == 0, log);
        Assert.Contains("Plan: 1 to add", log, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(plans, "error.txt")));
        Assert.StartsWith("{\"format_version\"", await File.ReadAllTextAsync(Path.Combine(plans, "plan.json")), StringComparison.Ordinal);
        Assert.Contains("# vsphere_virtual_machine.vm will be created", await File.ReadAllTextAsync(Path.Combine(plans, "plan.txt")), StringComparison.Ordinal);
        Assert.Equal(["fmt", "init", "validate", "plan", "show", "show"], terraform.Calls.Select(c => c.Command));
        Assert.Contains("-lock=false", terraform.Calls.Single(c => c.Command == "plan").Arguments);
    }

    [Fact]
    public async Task PlanJob_Artifacts_AreKeptWhenTheJobFails()
    {
        using var dir = new TempDirectory();
        var generated = await CliRunner.RunAsync(["pipeline", "generate", "--wp", "dc1-refresh", "--source", CliRunner.Example, "--out",
            dir.File("child-pipeline.yml")]);
        Assert.True(generated.ExitCode == 0, generated.Err);
        var artifacts = new CiYaml(await File.ReadAllTextAsync(dir.File("child-pipeline.yml"))).Mapping("plan:database", "artifacts")!;

        Assert.Equal("always", CiYaml.Scalar(artifacts, "when"));
        Assert.Contains("plans/database/", ((YamlDotNet.RepresentationModel.YamlSequenceNode)artifacts["paths"]).Select(n => n.ToString()));
    }
}
