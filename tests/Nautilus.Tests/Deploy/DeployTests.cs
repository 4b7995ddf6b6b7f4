using System.Text.Json.Nodes;
using Nautilus.Cli;
using Nautilus.Core.Configuration;
using Nautilus.Testing;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.Deploy;

public sealed class DeployTests
{
    [Fact]
    public async Task Deploy_ThreeWaves_AppliesInOrderAndSyncsNetBox()
    {
        using var world = await DeployWorld.CreateAsync();

        var result = await world.DeployAsync();

        Assert.True(result.ExitCode == 0, result.Err);
        var calls = world.Terraform.Calls;
        Assert.Equal(
            ["a:init", "a:apply", "a:output", "b:init", "b:apply", "b:output", "c:init", "c:apply", "c:output"],
            calls.Select(c => $"{c.Wave}:{c.Command}"));
        Assert.Equal(["apply", "-input=false", "-auto-approve"], calls[1].Arguments);

        // State in GitLab through TF_HTTP_*, with the job token; credentials never on a command line.
        var init = calls[3];
        Assert.Equal("https://gitlab.example.com/api/v4/projects/42/terraform/state/alpha-b", init.Environment["TF_HTTP_ADDRESS"]);
        Assert.Equal("https://gitlab.example.com/api/v4/projects/42/terraform/state/alpha-b/lock", init.Environment["TF_HTTP_LOCK_ADDRESS"]);
        Assert.Equal("https://gitlab.example.com/api/v4/projects/42/terraform/state/alpha-b/lock", init.Environment["TF_HTTP_UNLOCK_ADDRESS"]);
        Assert.Equal("POST", init.Environment["TF_HTTP_LOCK_METHOD"]);
        Assert.Equal("DELETE", init.Environment["TF_HTTP_UNLOCK_METHOD"]);
        Assert.Equal("gitlab-ci-token", init.Environment["TF_HTTP_USERNAME"]);
        Assert.Equal(DeployWorld.JobToken, init.Environment["TF_HTTP_PASSWORD"]);
        Assert.Equal(DeployWorld.VspherePassword, init.Environment["TF_VAR_vsphere_password"]);
        Assert.All(calls, c => Assert.DoesNotContain(c.Arguments,
            a => a.Contains(DeployWorld.VspherePassword, StringComparison.Ordinal) || a.Contains(DeployWorld.JobToken, StringComparison.Ordinal)));
        Assert.All(calls, c => Assert.False(c.Environment.ContainsKey("NAUTILUS_NETBOX_TOKEN")));

        // NetBox: active, primary IPs created on new interfaces, one journal entry per object.
        Assert.All(new[] { 1, 2, 3, 4 }, id => Assert.Equal("active", world.StatusOf(id)));
        Assert.Equal("10.0.0.11/24", world.PrimaryIpOf(1));
        Assert.Equal("10.0.0.12/32", world.PrimaryIpOf(2));
        Assert.Equal("10.0.2.14/24", world.PrimaryIpOf(4));
        Assert.Equal(4, world.NetBox.IpAddresses.Count);
        Assert.Equal(4, world.NetBox.VmInterfaces.Count);
        Assert.Equal(4, world.NetBox.JournalEntries.Count);
        var journal = world.NetBox.JournalEntries.Single(j => (int)j["assigned_object_id"]! == 3);
        Assert.Contains("wave `b`", (string)journal["comments"]!, StringComparison.Ordinal);
        Assert.Contains("https://gitlab.example.com/infra/alpha/-/jobs/7", (string)journal["comments"]!, StringComparison.Ordinal);

        // Bulk: per wave one interface POST, one IP POST, one object PATCH and one journal POST, whatever the object count.
        Assert.Equal(3, world.NetBox.RequestsTo("PATCH", "/virtual-machines/").Count());
        Assert.Equal(3, world.NetBox.RequestsTo("POST", "/journal-entries/").Count());

        // Output in GitLab collapsible sections; no secret anywhere in the output.
        Assert.Contains("section_start:", result.Err, StringComparison.Ordinal);
        Assert.Contains(":deploy_b\r", result.Err, StringComparison.Ordinal);
        Assert.Contains("section_end:", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(DeployWorld.JobToken, result.Out + result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(DeployWorld.VspherePassword, result.Out + result.Err, StringComparison.Ordinal);
        Assert.Contains("wave a: applied", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_SecondWaveFails_FirstWaveSyncedRestPlannedExit6()
    {
        using var world = await DeployWorld.CreateAsync();
        world.Terraform.FailOn("b", "apply");

        var result = await world.DeployAsync();

        Assert.Equal(6, result.ExitCode);
        Assert.Equal(["a:init", "a:apply", "a:output", "b:init", "b:apply"], world.Terraform.Calls.Select(c => $"{c.Wave}:{c.Command}"));
        Assert.Equal("active", world.StatusOf(1));
        Assert.Equal("active", world.StatusOf(2));
        Assert.Equal("planned", world.StatusOf(3));
        Assert.Equal("planned", world.StatusOf(4));
        Assert.Null(world.PrimaryIpOf(3));
        Assert.Equal([1, 2], world.NetBox.JournalEntries.Where(j => (string?)j["kind"]!["value"] == "success").Select(j => (int)j["assigned_object_id"]!)
            .Order());

        // The failed wave's object says why it is still planned, with the job's link; later waves get nothing.
        var failed = Assert.Single(world.NetBox.JournalEntries, j => (string?)j["kind"]!["value"] == "danger");
        Assert.Equal(3, (int)failed["assigned_object_id"]!);
        Assert.Contains("Apply failed in [job](https://gitlab.example.com/infra/alpha/-/jobs/7)", (string)failed["comments"]!, StringComparison.Ordinal);
        Assert.Contains("wave `b`", (string)failed["comments"]!, StringComparison.Ordinal);
        Assert.Contains("apply' exited with", (string)failed["comments"]!, StringComparison.Ordinal);
        Assert.Contains("Wave 'b'", result.Err, StringComparison.Ordinal);
        Assert.Contains("Not run: c", result.Err, StringComparison.Ordinal);
        Assert.Contains("fake failure of 'apply'", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_RunAgainAfterFailure_AppliesTheCommittedWavesAgainAndConverges()
    {
        using var world = await DeployWorld.CreateAsync();
        world.Terraform.FailOn("b", "apply");
        Assert.Equal(6, (await world.DeployAsync()).ExitCode);
        File.Delete(Path.Combine(world.Terraform.Directory, "fail", "b-apply"));

        var result = await world.DeployAsync();

        // The waves come from the committed manifest, not from what is still planned: a re-run applies each again
        // (Terraform changes nothing where the state matches) and NetBox converges.
        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Equal(["a:init", "a:apply", "a:output", "b:init", "b:apply", "b:output", "c:init", "c:apply", "c:output"],
            world.Terraform.Calls.Skip(5).Select(c => $"{c.Wave}:{c.Command}"));
        Assert.All(new[] { 1, 2, 3, 4 }, id => Assert.Equal("active", world.StatusOf(id)));
        Assert.Equal(6, world.NetBox.JournalEntries.Count(j => (string?)j["kind"]!["value"] == "success"));
        Assert.Single(world.NetBox.JournalEntries, j => (string?)j["kind"]!["value"] == "danger");
    }

    [Fact]
    public async Task Deploy_NetBoxChangedAfterTheReview_AppliesAndSyncsOnlyWhatTheManifestHolds()
    {
        using var world = await DeployWorld.CreateAsync();
        world.NetBox.AddVirtualMachine(5, "alpha-web-03", tags: ["wp:alpha"], customFields: DeployWorld.Fields("a", 12));
        world.NetBox.Edit("virtualization/virtual-machines", 1, vm => vm["vcpus"] = 16);

        var result = await world.DeployAsync("--wave", "a");

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Equal(["a:init", "a:apply", "a:output"], world.Terraform.Calls.Select(c => $"{c.Wave}:{c.Command}"));
        Assert.Equal("active", world.StatusOf(1));
        Assert.Equal("active", world.StatusOf(2));
        Assert.Equal("planned", world.StatusOf(5));
        Assert.DoesNotContain(world.NetBox.JournalEntries, j => (int)j["assigned_object_id"]! == 5);
    }

    [Fact]
    public async Task Deploy_ObjectsAlreadyActive_StillAppliesEveryCommittedWave()
    {
        // NAUTILUS_SYNC_ON=merge flips the work package at merge; the pipeline must still apply the reviewed code.
        using var world = await DeployWorld.CreateAsync();
        foreach (var id in new[] { 1, 2, 3, 4 })
        {
            world.NetBox.Edit("virtualization/virtual-machines", id,
                vm => vm["status"] = new System.Text.Json.Nodes.JsonObject { ["value"] = "active", ["label"] = "Active" });
        }

        var result = await world.DeployAsync();

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Equal(["a", "b", "c"], world.Terraform.Calls.Where(c => c.Command == "apply").Select(c => c.Wave));
        Assert.Equal("10.0.1.13/24", world.PrimaryIpOf(3));
    }

    [Fact]
    public async Task Deploy_UnknownWave_UsageErrorListsTheCommittedWaves()
    {
        using var world = await DeployWorld.CreateAsync();

        var result = await world.DeployAsync("--wave", "databse");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--wave databse: the committed manifest of work package alpha has no such wave. Its waves: a, b, c.", result.Err,
            StringComparison.Ordinal);
        Assert.Empty(world.Terraform.Calls);
    }

    [Fact]
    public async Task Deploy_SavedPlan_AppliesThePlanFileOfEachWave()
    {
        using var world = await DeployWorld.CreateAsync();
        await File.WriteAllTextAsync(Path.Combine(world.Out, "terraform", "alpha", "b", "plan.cache"), "saved plan");

        var result = await world.DeployAsync("--wave", "b", "--saved-plan", "plan.cache");

        Assert.True(result.ExitCode == 0, result.Err);
        var apply = Assert.Single(world.Terraform.Calls, c => c.Command == "apply");
        Assert.Equal(["apply", "-input=false", "plan.cache"], apply.Arguments);

        var missing = await world.DeployAsync("--wave", "c", "--saved-plan", "plan.cache");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("has no saved plan", missing.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_WaveFilter_DeploysOnlyThatWave()
    {
        using var world = await DeployWorld.CreateAsync();

        var result = await world.DeployAsync("--wave", "b");

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Equal(["b:init", "b:apply", "b:output"], world.Terraform.Calls.Select(c => $"{c.Wave}:{c.Command}"));
        Assert.Equal("planned", world.StatusOf(1));
        Assert.Equal("active", world.StatusOf(3));
        Assert.Equal("planned", world.StatusOf(4));
    }

    [Fact]
    public async Task Deploy_PriorityFilter_DeploysWavesHoldingMatchingObjects()
    {
        using var world = await DeployWorld.CreateAsync();

        var result = await world.DeployAsync("--priority", "low");

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Equal(["c:init", "c:apply", "c:output"], world.Terraform.Calls.Select(c => $"{c.Wave}:{c.Command}"));
        Assert.Equal("active", world.StatusOf(4));
        Assert.Equal("planned", world.StatusOf(3));
    }

    [Fact]
    public async Task Deploy_DependencyNotDone_RefusesWithExit3AndTouchesNothing()
    {
        using var world = await DeployWorld.CreateAsync(netbox =>
        {
            var vm = netbox.Find("virtualization/virtual-machines", 3)!;
            vm["tags"]!.AsArray().Add(netbox.AddTag("depends-on:wp:power").DeepClone());
            netbox.AddVirtualMachine(90, "power-ups-01", tags: ["wp:power"]);
        });

        var result = await world.DeployAsync();

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("work package 'power' still has 1 planned object(s)", result.Err, StringComparison.Ordinal);
        Assert.Contains("--ignore-dependencies", result.Err, StringComparison.Ordinal);
        Assert.Empty(world.Terraform.Calls);
        Assert.Empty(world.NetBox.Writes);
    }

    [Fact]
    public async Task Deploy_DependencyNotDoneIgnored_Deploys()
    {
        using var world = await DeployWorld.CreateAsync(netbox =>
        {
            var vm = netbox.Find("virtualization/virtual-machines", 3)!;
            vm["tags"]!.AsArray().Add(netbox.AddTag("depends-on:wp:power").DeepClone());
            netbox.AddVirtualMachine(90, "power-ups-01", tags: ["wp:power"]);
        });

        var result = await world.DeployAsync("--ignore-dependencies");

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Equal("active", world.StatusOf(3));
        Assert.Contains("--ignore-dependencies", result.Err, StringComparison.Ordinal);
    }

    /// <summary>--dir names the folder deploy reads (iac generate's --out); run from elsewhere, nothing else finds it.</summary>
    [Theory]
    [InlineData("--dir")]
    [InlineData("-d")]
    public async Task Deploy_DirFromAnotherFolder_ReadsTheLayoutThere(string option)
    {
        using var world = await DeployWorld.CreateAsync();
        var elsewhere = Directory.CreateTempSubdirectory("nautilus-elsewhere-").FullName;

        var result = await CliRunner.RunAsync(world.Environment, elsewhere, world.Configuration,
            ["iac", "deploy", "--wp", "alpha", option, world.Out, "--netbox-url", world.NetBox.Url, "--dry-run"]);
        var without = await CliRunner.RunAsync(world.Environment, elsewhere, world.Configuration,
            ["iac", "deploy", "--wp", "alpha", "--netbox-url", world.NetBox.Url, "--dry-run"]);

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.DoesNotContain("warning:", result.Err, StringComparison.Ordinal);
        Assert.Equal(2, without.ExitCode);
        Directory.Delete(elsewhere);
    }

    /// <summary>Pipelines written before --dir keep working: --out is a hidden alias that says once what to use instead.</summary>
    [Theory]
    [InlineData("--out")]
    [InlineData("-o")]
    public async Task Deploy_OldOutOption_StillReadsTheLayoutAndWarnsOnceNamingDir(string option)
    {
        using var world = await DeployWorld.CreateAsync();
        var elsewhere = Directory.CreateTempSubdirectory("nautilus-elsewhere-").FullName;

        var result = await CliRunner.RunAsync(world.Environment, elsewhere, world.Configuration,
            ["iac", "deploy", "--wp", "alpha", option, world.Out, "--netbox-url", world.NetBox.Url, "--dry-run"]);

        Assert.True(result.ExitCode == 0, result.Err);
        var warning = Assert.Single(result.Err.Split('\n'), l => l.StartsWith("warning:", StringComparison.Ordinal));
        Assert.Contains("--out is deprecated", warning, StringComparison.Ordinal);
        Assert.Contains("use --dir", warning, StringComparison.Ordinal);
        Directory.Delete(elsewhere);
    }

    [Fact]
    public async Task Deploy_DirAndOutBoth_IsAUsageError()
    {
        var result = await CliRunner.RunAsync("iac", "deploy", "--wp", "alpha", "--dir", "a", "--out", "b", "--dry-run");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--out is the old name of --dir", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_DryRun_PrintsActionsAndWritesNothing()
    {
        using var world = await DeployWorld.CreateAsync();

        var result = await world.DeployAsync("--dry-run");

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Empty(world.Terraform.Calls);
        Assert.Empty(world.NetBox.Writes);
        Assert.Contains("would run: terraform apply -input=false -auto-approve", result.Out, StringComparison.Ordinal);
        Assert.Contains("state https://gitlab.example.com/api/v4/projects/42/terraform/state/alpha-a", result.Out, StringComparison.Ordinal);
        Assert.Contains("would update vm 'alpha-db-01' (id 3): status planned → active", result.Out, StringComparison.Ordinal);
        Assert.All(new[] { 1, 2, 3, 4 }, id => Assert.Equal("planned", world.StatusOf(id)));
    }

    [Fact]
    public async Task Deploy_ExistingAddressAndInterface_AssignsInsteadOfCreating()
    {
        using var world = await DeployWorld.CreateAsync(netbox =>
        {
            netbox.Add("virtualization/interfaces",
                [new JsonObject { ["id"] = 500, ["name"] = "ens192", ["virtual_machine"] = new JsonObject { ["id"] = 1, ["name"] = "alpha-web-01" } }]);
            netbox.Add("ipam/ip-addresses",
                [new JsonObject { ["id"] = 700, ["address"] = "10.0.0.12/24", ["assigned_object_type"] = null, ["assigned_object_id"] = null,
                ["vrf"] = null }]);
        });

        var result = await world.DeployAsync("--wave", "a");

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Equal("10.0.0.12/24", world.PrimaryIpOf(2));
        var assigned = world.NetBox.Find("ipam/ip-addresses", 700)!;
        Assert.Equal("virtualization.vminterface", (string?)assigned["assigned_object_type"]);
        var ip1 = world.NetBox.IpAddresses.Single(i => (string?)i["address"] == "10.0.0.11/24");
        Assert.Equal(500, (int)ip1["assigned_object_id"]!);
        Assert.Equal(2, world.NetBox.VmInterfaces.Count); // ens192 of VM 1 reused; one new for VM 2
    }

    /// <summary>
    /// Outside CI with Vault, the GitLab token lives only in Vault (nautilus/gitlab_token): the state backend must get it
    /// through the same secret source as every GitLab call, not from a NAUTILUS_GITLAB_TOKEN that is not set.
    /// </summary>
    [Fact]
    public async Task Deploy_OutsideCiWithVault_StateBackendGetsTheGitLabTokenFromVault()
    {
        const string VaultGitLabToken = "glpat-from-vault-7Hq2xLm9";
        using var vault = new VaultFake()
            .GivenJwtRole(Vault.VaultHarness.Role, Vault.VaultHarness.Jwt, TimeSpan.FromHours(1), readablePaths: "nautilus/*")
            .GivenNautilusSecrets(DeployWorld.NetBoxToken, gitLabToken: VaultGitLabToken);
        using var world = await DeployWorld.CreateAsync();
        var environment = new Dictionary<string, string>(Vault.VaultHarness.JwtEnvironment(vault.Url))
        {
            ["NAUTILUS_GITLAB_URL"] = "https://gitlab.example.com",
            ["TF_HTTP_USERNAME"] = "deployer",
            ["PATH"] = "/usr/bin:/bin",
        };

        var result = await CliRunner.RunAsync(
            environment,
            world.Out,
            world.Configuration,
            ["iac", "deploy", "--wp", "alpha", "--dir", world.Out, "--netbox-url", world.NetBox.Url, "--project", "42"]);

        Assert.True(result.ExitCode == 0, result.Err);
        var init = world.Terraform.Calls.First(c => c.Command == "init");
        Assert.Equal("https://gitlab.example.com/api/v4/projects/42/terraform/state/alpha-a", init.Environment["TF_HTTP_ADDRESS"]);
        Assert.Equal("deployer", init.Environment["TF_HTTP_USERNAME"]);
        Assert.Equal(VaultGitLabToken, init.Environment["TF_HTTP_PASSWORD"]);
        Assert.DoesNotContain(VaultGitLabToken, result.Out + result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_MissingGeneratedCode_ExplainsWhatToRun()
    {
        using var world = await DeployWorld.CreateAsync();
        File.Delete(Path.Combine(world.Out, ".nautilus", "alpha", "manifest.json"));

        var result = await world.DeployAsync();

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nautilus iac generate", result.Err, StringComparison.Ordinal);
        Assert.Empty(world.Terraform.Calls);
    }

    [Fact]
    public async Task Deploy_Cancelled_ForwardsSigtermToTerraformAndLeavesNetBoxPlanned()
    {
        using var world = await DeployWorld.CreateAsync();
        world.Terraform.HangOn("a", "apply");
        using var cancel = new CancellationTokenSource();
        var settings = new Dictionary<string, string?>(world.Configuration) { ["Nautilus:Git:Branch"] = "main" };
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var run = CliHost.RunAsync(
            ["iac", "deploy", "--wp", "alpha", "--dir", world.Out, "--netbox-url", world.NetBox.Url],
            new DictionaryEnvironment(world.Environment, world.Out),
            stdout,
            stderr,
            settings,
            cancel.Token);
        await Eventually.TrueAsync(() => world.Terraform.Calls.Any(c => c.Command == "apply") || run.IsCompleted, "terraform apply starting", stderr.ToString);

        await cancel.CancelAsync();
        var code = await run;

        Assert.Equal(130, code);
        Assert.True(world.Terraform.Calls.Single(c => c.Command == "apply").Terminated, stderr.ToString());
        Assert.Contains("Gracefully shutting down", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal("planned", world.StatusOf(1));
        Assert.Empty(world.NetBox.Writes);
    }

    [Fact]
    public async Task Deploy_DeviceInWave_SetActiveWithJournalEntry()
    {
        using var world = await DeployWorld.CreateAsync(netbox =>
        {
            var example = JsonNode.Parse(File.ReadAllText(CliRunner.Example))!["devices"]![0]!.DeepClone().AsObject();
            example["id"] = 50;
            example["name"] = "alpha-leaf-01";
            example["display"] = "alpha-leaf-01";
            example["status"] = new JsonObject { ["value"] = "planned", ["label"] = "Planned" };
            example["primary_ip4"] = null;
            example["primary_ip"] = null;
            example["tags"] = new JsonArray(netbox.AddTag("wp:alpha").DeepClone());
            example["custom_fields"] = DeployWorld.Fields("c", 31);
            netbox.Add("dcim/devices", [example]);
        });

        var result = await world.DeployAsync("--wave", "c");

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Equal("active", (string?)world.NetBox.Find("dcim/devices", 50)!["status"]!["value"]);
        Assert.Contains(world.NetBox.JournalEntries, j => (string?)j["assigned_object_type"] == "dcim.device" && (int)j["assigned_object_id"]! == 50);
        Assert.Single(world.NetBox.RequestsTo("PATCH", "/dcim/devices/"));
    }

    [Fact]
    [RealTool]
    public async Task Deploy_RealProcessGetsSigterm_ForwardsItToTerraform()
    {
        using var world = await DeployWorld.CreateAsync();
        world.Terraform.HangOn("a", "apply");
        var published = await PublishedApp.CliAsync();
        var start = new System.Diagnostics.ProcessStartInfo(Path.Combine(published, "nautilus"))
        {
            WorkingDirectory = world.Out,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "iac", "deploy", "--wp", "alpha", "--dir", world.Out, "--netbox-url", world.NetBox.Url })
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (name, value) in world.Environment.Where(e => e.Key != "PATH"))
        {
            start.Environment[name] = value;
        }

        start.Environment["NAUTILUS_TF_BIN"] = world.Terraform.Path;
        start.Environment["NAUTILUS_NETBOX_TOKEN"] = DeployWorld.NetBoxToken;
        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await Eventually.TrueAsync(() => world.Terraform.Calls.Any(c => c.Command == "apply") || process.HasExited,
            "terraform apply starting in the published CLI");
        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await Eventually.CompletesAsync(kill.WaitForExitAsync(), "kill -TERM");
        }

        await Eventually.CompletesAsync(process.WaitForExitAsync(), "the CLI exiting after SIGTERM");

        var log = await stderr;
        Assert.True(world.Terraform.Calls.Any(c => c.Command == "apply"), log);
        var apply = Assert.Single(world.Terraform.Calls, c => c.Command == "apply");
        Assert.True(apply.Terminated, log);
        Assert.False(apply.Environment.ContainsKey("NAUTILUS_NETBOX_TOKEN"));
        Assert.NotEqual(0, process.ExitCode);
        Assert.Equal("planned", world.StatusOf(1));
        Assert.Empty(world.NetBox.Writes);
        _ = await stdout;
    }
}
