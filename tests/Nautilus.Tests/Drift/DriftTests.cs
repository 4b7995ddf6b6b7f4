using System.Text.Json;
using System.Text.Json.Nodes;
using Nautilus.Testing;
using Nautilus.Tests.Deploy;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.Drift;

/// <summary>
/// Work package "alpha" in a fake NetBox: VMs 1 and 2 active in wave a, VM 3 planned in wave b. States are written
/// here in Terraform's format 4, shaped like a vSphere apply of the generated code (51200 MB is written as 52 GB).
/// </summary>
public sealed class DriftTests : IDisposable
{
    private readonly NetBoxFake _netbox = new();
    private readonly string _states = Directory.CreateTempSubdirectory("nautilus-drift-").FullName;

    public DriftTests()
    {
        _netbox.AddVirtualMachine(1, "alpha-web-01", status: "active", tags: ["wp:alpha"], customFields: DeployWorld.Fields("a", 10), vcpus: 2, memory: 4096,
            disk: 51200);
        _netbox.AddVirtualMachine(2, "alpha-web-02", status: "active", tags: ["wp:alpha"], customFields: DeployWorld.Fields("a", 11), vcpus: 2, memory: 4096,
            disk: 51200);
        _netbox.AddVirtualMachine(3, "alpha-db-01", status: "planned", tags: ["wp:alpha"], customFields: DeployWorld.Fields("b", 20), vcpus: 8, memory: 32768,
            disk: 204800);
    }

    public void Dispose()
    {
        _netbox.Dispose();
        Directory.Delete(_states, recursive: true);
    }

    /// <summary>A vsphere_virtual_machine per VM, with the nautilus_netbox output mapping addresses to NetBox identities.</summary>
    public static string State(params (int Id, string Name, int Cpus, int MemoryMb, int DiskGb)[] vms)
    {
        var map = new JsonObject();
        var resources = new JsonArray();
        foreach (var (id, name, cpus, memory, disk) in vms)
        {
            var resource = "vm_" + id;
            map[$"vsphere_virtual_machine.{resource}"] = new JsonObject { ["object_type"] = "virtualization.virtualmachine", ["id"] = id, ["name"] = name };
            resources.Add(new JsonObject
            {
                ["mode"] = "managed",
                ["type"] = "vsphere_virtual_machine",
                ["name"] = resource,
                ["provider"] = "provider[\"registry.terraform.io/hashicorp/vsphere\"]",
                ["instances"] = new JsonArray(new JsonObject
                {
                    ["schema_version"] = 3,
                    ["attributes"] = new JsonObject
                    {
                        ["id"] = $"4217{id:D4}-aaaa-bbbb-cccc-000000000000",
                        ["name"] = name,
                        ["num_cpus"] = cpus,
                        ["memory"] = memory,
                        ["default_ip_address"] = $"10.0.0.{id}",
                        ["disk"] = new JsonArray(new JsonObject { ["label"] = "disk0", ["size"] = disk, ["thin_provisioned"] = true }),
                    },
                    ["sensitive_attributes"] = new JsonArray(),
                }),
            });
        }

        return new JsonObject
        {
            ["version"] = 4,
            ["terraform_version"] = "1.9.8",
            ["serial"] = 7,
            ["lineage"] = "2f0c5a4e-0b7e-4d3e-9e51-8d1f2c3b4a5d",
            ["outputs"] = new JsonObject { ["nautilus_netbox"] = new JsonObject { ["value"] = map, ["type"] = new JsonArray("map", new JsonArray("object")) } },
            ["resources"] = resources,
            ["check_results"] = null,
        }.ToJsonString();
    }

    private void WriteState(string name, string json) => File.WriteAllText(Path.Combine(_states, name + ".json"), json);

    private Task<CliRunner.Result> DriftAsync(params string[] args) =>
        CliRunner.RunAsync(null, _states, new Dictionary<string, string?> { ["Nautilus:NetBox:Token"] = DeployWorld.NetBoxToken },
            ["drift", "--wp", "alpha", "--netbox-url", _netbox.Url, .. args]);

    private static JsonElement[] Findings(CliRunner.Result result) =>
        JsonDocument.Parse(result.Out).RootElement.GetProperty("drift").EnumerateArray().ToArray();

    [Fact]
    public async Task Drift_StatesMatchNetBox_NoDriftExit0()
    {
        WriteState("alpha-a", State((1, "alpha-web-01", 2, 4096, 52), (2, "alpha-web-02", 2, 4096, 52)));

        var result = await DriftAsync("--state-dir", _states);

        Assert.True(result.ExitCode == 0, result.Out + result.Err);
        Assert.Contains("No drift", result.Out, StringComparison.Ordinal);
        Assert.Contains("state alpha-b: none yet (counts as empty)", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drift_DeployedButPlanned_Exit7()
    {
        WriteState("alpha-a", State((1, "alpha-web-01", 2, 4096, 52), (2, "alpha-web-02", 2, 4096, 52)));
        WriteState("alpha-b", State((3, "alpha-db-01", 8, 32768, 205)));

        var result = await DriftAsync("--state-dir", _states, "--format", "json");

        Assert.Equal(7, result.ExitCode);
        var finding = Assert.Single(Findings(result));
        Assert.Equal("deployed_but_planned", finding.GetProperty("kind").GetString());
        Assert.Equal(3, finding.GetProperty("id").GetInt32());
        Assert.Equal("alpha-b", finding.GetProperty("state").GetString());
        Assert.Equal("vsphere_virtual_machine.vm_3", finding.GetProperty("address").GetString());
    }

    /// <summary>The advice for a deployed-but-planned VM must touch that VM only, not every planned object of the work package.</summary>
    [Fact]
    public async Task Drift_DeployedButPlanned_AdviceActivatesOnlyTheDriftedObject()
    {
        _netbox.AddVirtualMachine(4, "alpha-db-02", status: "planned", tags: ["wp:alpha"], customFields: DeployWorld.Fields("b", 21), vcpus: 8, memory: 32768,
            disk: 204800);
        WriteState("alpha-a", State((1, "alpha-web-01", 2, 4096, 52), (2, "alpha-web-02", 2, 4096, 52)));
        WriteState("alpha-b", State((3, "alpha-db-01", 8, 32768, 205)));

        var drift = await DriftAsync("--state-dir", _states, "--format", "json");

        Assert.Equal(7, drift.ExitCode);
        var advice = System.Text.RegularExpressions.Regex.Match(Assert.Single(Findings(drift)).GetProperty("message").GetString()!,
            "'nautilus (netbox update-status [^']*)'");
        Assert.True(advice.Success, drift.Out);
        var run = await CliRunner.RunAsync(null, _states, new Dictionary<string, string?> { ["Nautilus:NetBox:Token"] = DeployWorld.NetBoxToken },
            [.. advice.Groups[1].Value.Split(' '), "--netbox-url", _netbox.Url]);

        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Equal("active", (string?)_netbox.Find("virtualization/virtual-machines", 3)!["status"]!["value"]);
        Assert.Equal("planned", (string?)_netbox.Find("virtualization/virtual-machines", 4)!["status"]!["value"]);
        Assert.Single(_netbox.JournalEntries);
    }

    [Fact]
    public async Task Drift_ActiveButMissingFromEveryState_Exit7()
    {
        WriteState("alpha-a", State((1, "alpha-web-01", 2, 4096, 52)));

        var result = await DriftAsync("--state-dir", _states, "--format", "json");

        Assert.Equal(7, result.ExitCode);
        var finding = Assert.Single(Findings(result));
        Assert.Equal("active_but_missing", finding.GetProperty("kind").GetString());
        Assert.Equal(2, finding.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Drift_AttributeMismatches_EachNamed()
    {
        WriteState("alpha-a", State((1, "alpha-web-01-renamed", 4, 8192, 80), (2, "alpha-web-02", 2, 4096, 52)));

        var result = await DriftAsync("--state-dir", _states, "--format", "json");

        Assert.Equal(7, result.ExitCode);
        var findings = Findings(result);
        Assert.All(findings, f => Assert.Equal("attribute_mismatch", f.GetProperty("kind").GetString()));
        Assert.Equal(
            [("name", "alpha-web-01", "alpha-web-01-renamed"), ("vcpus", "2", "4"), ("memory", "4096 MB", "8192 MB"), ("disk", "51200 MB (52 GB)", "80 GB")],
            findings.Select(f => (f.GetProperty("attribute").GetString(), f.GetProperty("netbox").GetString(), f.GetProperty("terraform").GetString())));
    }

    [Fact]
    public async Task Drift_ResourceOfObjectNotInWorkPackage_Reported()
    {
        WriteState("alpha-a", State((1, "alpha-web-01", 2, 4096, 52), (2, "alpha-web-02", 2, 4096, 52), (99, "alpha-old-01", 1, 1024, 10)));

        var result = await DriftAsync("--state-dir", _states, "--format", "json");

        Assert.Equal(7, result.ExitCode);
        var finding = Assert.Single(Findings(result));
        Assert.Equal("not_in_netbox", finding.GetProperty("kind").GetString());
        Assert.Equal(99, finding.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Drift_Markdown_TableWithNetBoxLinks()
    {
        WriteState("alpha-a", State((1, "alpha-web-01", 2, 4096, 52)));

        var result = await DriftAsync("--state-dir", _states, "--format", "markdown");

        Assert.Equal(7, result.ExitCode);
        Assert.Contains("| kind | object | wave | state | attribute | NetBox | Terraform |", result.Out, StringComparison.Ordinal);
        Assert.Contains($"| active_but_missing | [`alpha-web-02`]({_netbox.Url}/virtualization/virtual-machines/2/) (id 2) | `a` |", result.Out,
            StringComparison.Ordinal);
        Assert.DoesNotContain("\n/", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drift_StatesFromGitLab_ReadWithJobTokenMissingStateIsEmpty()
    {
        using var gitlab = new GitLabFake()
            .WithUser(5, "deployer", "glpat-deployer-token")
            .WithJobToken(DeployWorld.JobToken, 5)
            .WithProject(42, "infra/alpha")
            .WithTerraformState(42, "alpha-a", State((1, "alpha-web-01", 2, 4096, 52), (2, "alpha-web-02", 2, 4096, 52)))
            .WithTerraformState(42, "alpha-b", State((3, "alpha-db-01", 8, 32768, 205)));
        var environment = new Dictionary<string, string> { ["CI"] = "true", ["CI_SERVER_URL"] = gitlab.Url, ["CI_PROJECT_ID"] = "42",
            ["CI_JOB_TOKEN"] = DeployWorld.JobToken };

        var result = await CliRunner.RunAsync(environment, _states, new Dictionary<string, string?> { ["Nautilus:NetBox:Token"] = DeployWorld.NetBoxToken },
            ["drift", "--wp", "alpha", "--netbox-url", _netbox.Url, "--format", "json"]);

        Assert.Equal(7, result.ExitCode);
        var finding = Assert.Single(Findings(result));
        Assert.Equal("deployed_but_planned", finding.GetProperty("kind").GetString());
        Assert.Equal(2, gitlab.RequestsTo("GET", "/terraform/state/").Count());
        Assert.DoesNotContain(DeployWorld.JobToken, result.Out + result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drift_StateOfAnotherFormatVersion_InvalidDataExit3()
    {
        WriteState("alpha-a", """{"version": 3, "serial": 1, "modules": []}""");

        var result = await DriftAsync("--state-dir", _states);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("version 3", result.Err, StringComparison.Ordinal);
    }
}
