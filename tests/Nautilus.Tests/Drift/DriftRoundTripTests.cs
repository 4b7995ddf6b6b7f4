using System.Text.Json;
using System.Text.Json.Nodes;
using Nautilus.Testing;
using Nautilus.Tests.Deploy;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.Drift;

/// <summary>
/// Generation and drift convert NetBox's sizes one way: the state that applying the generated code writes is no drift,
/// for every provider. The state is built from the generated HCL itself (every literal attribute of each resource, read
/// by the real HCL parser), shaped as Terraform's state format 4 keeps nested blocks (lists of objects).
/// </summary>
public sealed class DriftRoundTripTests : IDisposable
{
    private readonly NetBoxFake _netbox = new();
    private readonly TempDir _dir = new();

    public DriftRoundTripTests()
    {
        // Fractional vCPUs, disks that are not whole GB in either 1000 or 1024, and a name that is no DNS label.
        _netbox.AddVirtualMachine(1, "alpha-web-01", tags: ["wp:alpha"], customFields: DeployWorld.Fields("a", 10), vcpus: 1.5m, memory: 4096, disk: 51200);
        _netbox.AddVirtualMachine(2, "Alpha_DB.02", tags: ["wp:alpha"], customFields: DeployWorld.Fields("a", 11), vcpus: 8, memory: 32768, disk: 204800);
        _netbox.AddVirtualMachine(3, "alpha-mon-01", tags: ["wp:alpha"], customFields: DeployWorld.Fields("b", 20), vcpus: 0.5m, memory: 1024, disk: 10);
    }

    public void Dispose()
    {
        _netbox.Dispose();
        _dir.Dispose();
    }

    /// <summary>What drift compares, per provider's VM resource: the attributes its state holds.</summary>
    public static TheoryData<string, string[]> Providers => new()
    {
        { "vsphere", ["name", "vcpus", "memory", "disk"] },
        { "aws", ["name", "disk"] },
        { "azure", ["name", "disk"] },
    };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Drift_StateFromTheGeneratedCode_NoDriftAndEachComparedAttributeCounts(string provider, string[] compared)
    {
        var generated = await RunAsync("iac", "generate", "--wp", "alpha", "--provider", provider, "--out", _dir["out"]);
        Assert.True(generated.ExitCode == 0, generated.Err);
        foreach (var id in new[] { 1, 2, 3 })
        {
            _netbox.Edit("virtualization/virtual-machines", id, vm => vm["status"] = new JsonObject { ["value"] = "active", ["label"] = "Active" });
        }

        Directory.CreateDirectory(_dir["states"]);
        foreach (var wave in new[] { "a", "b" })
        {
            await File.WriteAllTextAsync(Path.Combine(_dir["states"], $"alpha-{wave}.json"), await StateFromCodeAsync(_dir[$"out/terraform/alpha/{wave}"]));
        }

        var clean = await RunAsync("drift", "--wp", "alpha", "--state-dir", _dir["states"], "--dir", _dir["out"], "--format", "json");

        Assert.True(clean.ExitCode == 0, clean.Out + clean.Err);
        using (var report = JsonDocument.Parse(clean.Out))
        {
            // Not vacuous: every VM was found in a state.
            Assert.Equal(3, report.RootElement.GetProperty("states").EnumerateArray().Sum(s => s.GetProperty("objects").GetInt32()));
        }

        // Each compared attribute changed in NetBox is drift, in the state's units.
        _netbox.Edit("virtualization/virtual-machines", 1, vm =>
        {
            vm["name"] = "alpha-web-01-renamed";
            vm["vcpus"] = 4;
            vm["memory"] = 8192;
            vm["disk"] = 102400;
        });
        var drifted = await RunAsync("drift", "--wp", "alpha", "--state-dir", _dir["states"], "--out", _dir["out"], "--format", "json");

        Assert.Equal(7, drifted.ExitCode);
        Assert.Contains("warning: --out is deprecated on 'drift'", drifted.Err, StringComparison.Ordinal); // the old name still works
        using var findings = JsonDocument.Parse(drifted.Out);
        var attributes = findings.RootElement.GetProperty("drift").EnumerateArray()
            .Select(f => (Id: f.GetProperty("id").GetInt32(), Attribute: f.GetProperty("attribute").GetString()))
            .ToList();
        Assert.Equal(compared.Select(a => (1, (string?)a)), attributes);
        if (compared.Contains("disk"))
        {
            var disk = findings.RootElement.GetProperty("drift").EnumerateArray().Single(f => f.GetProperty("attribute").GetString() == "disk");
            Assert.Equal("102400 MB (103 GB)", disk.GetProperty("netbox").GetString());
            Assert.Equal("52 GB", disk.GetProperty("terraform").GetString());
        }
    }

    private Task<CliRunner.Result> RunAsync(params string[] args) =>
        CliRunner.RunAsync(null, _dir.Path, new Dictionary<string, string?> { ["Nautilus:NetBox:Token"] = DeployWorld.NetBoxToken },
            [.. args, "--netbox-url", _netbox.Url]);

    /// <summary>
    /// A format-4 state with one instance per managed resource of the wave's main.tf, whose attributes are the literal
    /// values written there (`hclcheck -values`); nested blocks become one-element lists as in a real state.
    /// </summary>
    private static async Task<string> StateFromCodeAsync(string waveDirectory)
    {
        var run = await RealTools.RunAsync(RealTools.HclCheck, ["-values", "main.tf"], waveDirectory);
        Assert.True(run.ExitCode == 0, run.Err);
        var resources = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var line in run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var value = JsonNode.Parse(line)!;
            var path = ((string)value["path"]!).Split('.');
            if (path[0] != "resource")
            {
                continue;
            }

            var key = path[1] + "." + path[2];
            if (!resources.TryGetValue(key, out var attributes))
            {
                resources[key] = attributes = [];
            }

            var target = attributes;
            foreach (var block in path[3..^1])
            {
                if (target[block] is not JsonArray list)
                {
                    target[block] = list = [new JsonObject()];
                }

                target = list[0]!.AsObject();
            }

            target[path[^1]] = value["value"]!.DeepClone();
        }

        Assert.NotEmpty(resources);
        var state = new JsonArray();
        foreach (var (address, attributes) in resources)
        {
            var (type, name) = (address.Split('.')[0], address.Split('.')[1]);
            state.Add(new JsonObject
            {
                ["mode"] = "managed",
                ["type"] = type,
                ["name"] = name,
                ["provider"] = $"provider[\"registry.terraform.io/hashicorp/{type.Split('_')[0]}\"]",
                ["instances"] = new JsonArray(new JsonObject { ["schema_version"] = 0, ["attributes"] = attributes,
                    ["sensitive_attributes"] = new JsonArray() }),
            });
        }

        return new JsonObject
        {
            ["version"] = 4,
            ["terraform_version"] = "1.9.8",
            ["serial"] = 1,
            ["lineage"] = "0b5c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d",
            ["outputs"] = new JsonObject(),
            ["resources"] = state,
        }.ToJsonString();
    }
}
