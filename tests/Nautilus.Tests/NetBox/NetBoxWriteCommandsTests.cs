using System.Text.Json.Nodes;
using Nautilus.Testing;
using Nautilus.Tests.Deploy;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.NetBox;

public sealed class NetBoxWriteCommandsTests : IDisposable
{
    private readonly NetBoxFake _netbox = new();

    public void Dispose() => _netbox.Dispose();

    private Task<CliRunner.Result> RunAsync(params string[] args) =>
        CliRunner.RunAsync(null, null, new Dictionary<string, string?> { ["Nautilus:NetBox:Token"] = DeployWorld.NetBoxToken },
            [.. args, "--netbox-url", _netbox.Url]);

    private void AddWorkPackage(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            _netbox.AddVirtualMachine(i, $"vm-{i:D4}", tags: ["wp:big"], customFields: DeployWorld.Fields(i % 2 == 0 ? "even" : "odd", i));
        }
    }

    [Fact]
    public async Task UpdateStatus_1200Objects_BulkPatchesInChunksOf500()
    {
        AddWorkPackage(1200);

        var result = await RunAsync("netbox", "update-status", "--tag", "wp:big", "--status", "active");

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.All(_netbox.VirtualMachines, vm => Assert.Equal("active", (string?)vm["status"]!["value"]));
        var patches = _netbox.RequestsTo("PATCH", "/virtual-machines/").ToList();
        Assert.Equal(3, patches.Count);
        Assert.All(patches, p => Assert.True(JsonNode.Parse(p.RequestMessage.Body!)!.AsArray().Count <= 500));
        Assert.Equal(1200, _netbox.JournalEntries.Count);
        Assert.Contains("changed vm 'vm-0001' (id 1): planned → active", result.Out, StringComparison.Ordinal);
        Assert.Contains("Changed 1200 object(s) tagged wp:big: 1200 planned → active.", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateStatus_RunTwice_SecondRunWritesNothing()
    {
        AddWorkPackage(3);
        Assert.Equal(0, (await RunAsync("netbox", "update-status", "--tag", "wp:big", "--status", "active")).ExitCode);
        var writes = _netbox.Writes.Count();

        var again = await RunAsync("netbox", "update-status", "--tag", "wp:big", "--status", "active");

        Assert.True(again.ExitCode == 0, again.Err);
        Assert.Equal(writes, _netbox.Writes.Count());
        Assert.Equal(3, _netbox.JournalEntries.Count);
        Assert.Contains("Nothing to change", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateStatus_WaveFilter_ChangesOnlyThatWave()
    {
        AddWorkPackage(10);

        var result = await RunAsync("netbox", "update-status", "--tag", "wp:big", "--status", "staged", "--wave", "even");

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.All(_netbox.VirtualMachines, vm => Assert.Equal((int)vm["id"]! % 2 == 0 ? "staged" : "planned", (string?)vm["status"]!["value"]));
    }

    [Fact]
    public async Task UpdateStatus_IdAndName_ChangeOnlyThoseObjects()
    {
        AddWorkPackage(6);
        _netbox.Add("dcim/devices", [new JsonObject
        {
            ["id"] = 2, ["url"] = _netbox.Url + "/api/dcim/devices/2/", ["display"] = "sw-02", ["name"] = "sw-02",
            ["status"] = new JsonObject { ["value"] = "planned", ["label"] = "Planned" },
            ["tags"] = new JsonArray(new JsonObject { ["id"] = (int)_netbox.Tags.Single(t => (string?)t["name"] == "wp:big")["id"]!, ["name"] = "wp:big",
                ["slug"] = "wp-big" }),
            ["custom_fields"] = new JsonObject(),
        }]);

        var result = await RunAsync("netbox", "update-status", "--tag", "wp:big", "--from", "planned", "--status", "active", "--id", "vm:2", "--id", "5",
            "--name", "vm-0003");

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Equal([2, 3, 5], _netbox.VirtualMachines.Where(vm => (string?)vm["status"]!["value"] == "active").Select(vm => (int)vm["id"]!));
        Assert.Equal("planned", (string?)_netbox.Devices.Single()["status"]!["value"]);
        Assert.Equal(3, _netbox.JournalEntries.Count);
    }

    [Fact]
    public async Task UpdateStatus_MalformedId_UsageErrorBeforeAnyRequest()
    {
        var result = await RunAsync("netbox", "update-status", "--tag", "wp:big", "--status", "active", "--id", "host:2");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--id 'host:2' is not an object id", result.Err, StringComparison.Ordinal);
        Assert.Equal(0, _netbox.RequestCount);
    }

    [Fact]
    public async Task UpdateStatus_DryRun_PrintsAndWritesNothing()
    {
        AddWorkPackage(3);

        var result = await RunAsync("netbox", "update-status", "--tag", "wp:big", "--status", "active", "--dry-run");

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Empty(_netbox.Writes);
        Assert.Contains("would change vm 'vm-0002' (id 2): planned → active", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateStatus_UnknownStatus_UsageErrorBeforeAnyRequest()
    {
        var result = await RunAsync("netbox", "update-status", "--tag", "wp:big", "--status", "deployed");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--status 'deployed' is not a NetBox status", result.Err, StringComparison.Ordinal);
        Assert.Equal(0, _netbox.RequestCount);
    }

    [Fact]
    public async Task UpdateStatus_UnknownTag_NamesTheTag_AndTheCloseWorkPackage()
    {
        AddWorkPackage(2);

        var unknown = await RunAsync("netbox", "update-status", "--tag", "wp:nope", "--status", "active");
        var typo = await RunAsync("netbox", "update-status", "--tag", "wp:bgi", "--status", "active");
        var other = await RunAsync("netbox", "update-status", "--tag", "wpbig", "--status", "active");

        Assert.Equal(3, unknown.ExitCode);
        Assert.Contains("Work package 'nope' is unknown", unknown.Err, StringComparison.Ordinal);
        Assert.Contains("Known work packages: big.", unknown.Err, StringComparison.Ordinal);
        Assert.Equal(3, typo.ExitCode);
        Assert.Contains("Did you mean 'big'?", typo.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("wp init", typo.Err, StringComparison.Ordinal);
        Assert.Equal(3, other.ExitCode);
        Assert.Contains("has no tag 'wpbig'. Did you mean 'wp:big'?", other.Err, StringComparison.Ordinal);
        Assert.Empty(_netbox.Writes);
    }

    private void AddReferenceData(bool customFields = true)
    {
        _netbox.Add("dcim/device-roles",
            [new JsonObject { ["id"] = 5, ["url"] = _netbox.Url + "/api/dcim/device-roles/5/", ["name"] = "Web Server", ["slug"] = "web-server" }]);
        _netbox.Add("virtualization/clusters",
            [new JsonObject { ["id"] = 3, ["url"] = _netbox.Url + "/api/virtualization/clusters/3/", ["name"] = "vsphere-prod-a" }]);
        _netbox.Add("dcim/sites", [new JsonObject { ["id"] = 2, ["url"] = _netbox.Url + "/api/dcim/sites/2/", ["name"] = "DC1", ["slug"] = "dc1" }]);
        if (customFields)
        {
            _netbox.Add("extras/custom-fields",
                [new JsonObject { ["id"] = 1, ["name"] = "deployment_wave" }, new JsonObject { ["id"] = 2, ["name"] = "deployment_sequence" }]);
        }
    }

    [Fact]
    public async Task CreateVm_AllOptions_CreatesPlannedTaggedVm()
    {
        AddReferenceData();

        var result = await RunAsync(
            "netbox", "create-vm", "--wp", "dc1-refresh", "--name", "dc1-web-09", "--role", "web-server", "--cluster", "vsphere-prod-a",
            "--site", "dc1", "--vcpus", "2", "--memory", "4096", "--disk", "51200", "--wave", "application", "--sequence", "40", "--priority", "high");

        Assert.True(result.ExitCode == 0, result.Err);
        var vm = Assert.Single(_netbox.VirtualMachines);
        Assert.Equal("dc1-web-09", (string?)vm["name"]);
        Assert.Equal("planned", (string?)vm["status"]!["value"]);
        Assert.Equal(5, (int)vm["role"]!["id"]!);
        Assert.Equal(3, (int)vm["cluster"]!["id"]!);
        Assert.Equal(2, (int)vm["site"]!["id"]!);
        Assert.Equal(4096, (long)vm["memory"]!);
        Assert.Equal(51200, (long)vm["disk"]!);
        Assert.Equal("application", (string?)vm["custom_fields"]!["deployment_wave"]);
        Assert.Equal(40, (int)vm["custom_fields"]!["deployment_sequence"]!);
        Assert.Equal(["priority:high", "wp:dc1-refresh"], vm["tags"]!.AsArray().Select(t => (string)t!["name"]!).Order());
        Assert.Equal("wp-dc1-refresh", (string?)_netbox.Tags.Single(t => (string?)t["name"] == "wp:dc1-refresh")["slug"]);
        Assert.Single(_netbox.JournalEntries);
        Assert.Contains("created virtual machine 'dc1-web-09'", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateVm_UnknownRoleAndCluster_ReportsBothWithChoices()
    {
        AddReferenceData();

        var result = await RunAsync("netbox", "create-vm", "--wp", "dc1-refresh", "--name", "x", "--role", "webserver", "--cluster", "prod");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("no role named 'webserver'", result.Err, StringComparison.Ordinal);
        Assert.Contains("Known: Web Server", result.Err, StringComparison.Ordinal);
        Assert.Contains("no cluster named 'prod'", result.Err, StringComparison.Ordinal);
        Assert.Empty(_netbox.Writes);
    }

    /// <summary>
    /// Clusters have no slug, so NetBox ignores ?slug= on them and answers every cluster: a lookup that falls back to
    /// the slug would take the first one, silently.
    /// </summary>
    [Fact]
    public async Task CreateVm_ClusterNameMatchesNothing_Exit3NotTheFirstCluster()
    {
        AddReferenceData();

        var result = await RunAsync("netbox", "create-vm", "--wp", "dc1-refresh", "--name", "dc1-web-12", "--role", "web-server", "--cluster", "prod-a",
            "--dry-run");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("no cluster named 'prod-a'", result.Err, StringComparison.Ordinal);
        Assert.Contains("Known: vsphere-prod-a", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("would create virtual machine", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(_netbox.RequestsTo("GET", "/virtualization/clusters/"), r => r.RequestMessage.Url.Contains("slug=", StringComparison.Ordinal));
    }

    /// <summary>Every lookup checks what NetBox answered: a filter it ignores must not turn into "the first object".</summary>
    [Theory]
    [InlineData("--role", "db-server", "role")]
    [InlineData("--site", "dc9", "site")]
    public async Task CreateVm_RoleOrSiteMatchesNothing_Exit3NamingIt(string option, string value, string what)
    {
        AddReferenceData();
        string[] args = ["netbox", "create-vm", "--wp", "dc1-refresh", "--name", "dc1-web-12", "--role", "web-server", "--cluster", "vsphere-prod-a",
            "--dry-run"];
        args = option == "--role" ? [.. args.Select(a => a == "web-server" ? value : a)] : [.. args, option, value];

        var result = await RunAsync(args);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"no {what} named '{value}'", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateVm_NameTakenInCluster_RefusesNamingTheExistingVm()
    {
        AddReferenceData();
        _netbox.AddVirtualMachine(77, "dc1-web-09");

        var result = await RunAsync("netbox", "create-vm", "--wp", "dc1-refresh", "--name", "dc1-web-09", "--role", "Web Server", "--cluster",
            "vsphere-prod-a");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("already exists in cluster 'vsphere-prod-a' (id 77", result.Err, StringComparison.Ordinal);
        Assert.Empty(_netbox.Writes);
    }

    [Fact]
    public async Task CreateVm_NoWaveField_FallsBackToWaveTag()
    {
        AddReferenceData(customFields: false);

        var result = await RunAsync("netbox", "create-vm", "--wp", "dc1-refresh", "--name", "dc1-web-10", "--role", "Web Server", "--cluster",
            "vsphere-prod-a", "--wave", "application");

        Assert.True(result.ExitCode == 0, result.Err);
        var vm = Assert.Single(_netbox.VirtualMachines);
        Assert.Contains("wave:application", vm["tags"]!.AsArray().Select(t => (string)t!["name"]!));
    }

    [Fact]
    public async Task CreateVm_DryRun_WritesNothing()
    {
        AddReferenceData();

        var result = await RunAsync("netbox", "create-vm", "--wp", "dc1-refresh", "--name", "dc1-web-11", "--role", "Web Server", "--cluster",
            "vsphere-prod-a", "--dry-run");

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Empty(_netbox.Writes);
        Assert.Contains("would create tag wp:dc1-refresh", result.Out, StringComparison.Ordinal);
        Assert.Contains("would create virtual machine 'dc1-web-11'", result.Out, StringComparison.Ordinal);
    }
}
