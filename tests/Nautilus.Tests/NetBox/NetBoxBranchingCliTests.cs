using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Nautilus.Testing;
using Nautilus.Tests.Deploy;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.NetBox;

/// <summary>
/// The CLI against a NetBox with the netbox-branching plugin: commands work in the work package's branch while it is
/// open, never before it is ready, say which data they used, and without the plugin behave exactly as before.
/// </summary>
public sealed class NetBoxBranchingCliTests : IDisposable
{
    private const string Vms = "virtualization/virtual-machines";
    private readonly NetBoxFake _netbox = new();
    private readonly TempDirectory _dir = new();

    public NetBoxBranchingCliTests()
    {
        _netbox.Add("dcim/device-roles",
            [new JsonObject { ["id"] = 5, ["url"] = _netbox.Url + "/api/dcim/device-roles/5/", ["name"] = "Web Server", ["slug"] = "web-server" }]);
        _netbox.Add("virtualization/clusters",
            [new JsonObject { ["id"] = 3, ["url"] = _netbox.Url + "/api/virtualization/clusters/3/", ["name"] = "vsphere-prod-a" }]);
        _netbox.Add("extras/custom-fields",
            [new JsonObject { ["id"] = 1, ["name"] = "deployment_wave" }, new JsonObject { ["id"] = 2, ["name"] = "deployment_sequence" }]);
        _netbox.AddVirtualMachine(11, "dc1-db-01", tags: ["wp:dc1"], vcpus: 2, memory: 4096,
            customFields: new JsonObject { ["deployment_wave"] = "database", ["deployment_sequence"] = 10 });
    }

    public void Dispose()
    {
        _netbox.Dispose();
        _dir.Dispose();
    }

    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["Nautilus:NetBox:Token"] = DeployWorld.NetBoxToken, ["Nautilus:NetBox:BranchPollMs"] = "10" };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    private Task<CliRunner.Result> RunAsync(IReadOnlyDictionary<string, string>? environment, Dictionary<string, string?> settings, params string[] args) =>
        CliRunner.RunAsync(environment, _dir.Path, settings, [.. args, "--netbox-url", _netbox.Url]);

    private Task<CliRunner.Result> CreateVmAsync(params string[] extra) =>
        RunAsync(null, Settings(),
            ["netbox", "create-vm", "--wp", "dc1", "--name", "dc1-web-09", "--role", "Web Server", "--cluster", "vsphere-prod-a", "--wave", "application",
            "--sequence", "20", .. extra]);

    private IEnumerable<WireMock.Logging.ILogEntry> WithBranchHeader =>
        _netbox.Requests.Where(e => e.RequestMessage.Headers?.Keys.Any(k => string.Equals(k, "X-NetBox-Branch", StringComparison.OrdinalIgnoreCase)) == true);

    [Fact]
    public async Task CreateVm_WorkPackageBranchOpen_WritesIntoTheBranch_MainUnchanged()
    {
        var branch = _netbox.WithBranching().AddBranch("dc1");

        var result = await CreateVmAsync();

        Assert.True(result.ExitCode == 0, result.Err);
        var created = Assert.Single(_netbox.ViewOfBranch("dc1", Vms), vm => (string?)vm["name"] == "dc1-web-09");
        Assert.Equal("planned", (string?)created["status"]!["value"]);
        Assert.DoesNotContain(_netbox.VirtualMachines, vm => (string?)vm["name"] == "dc1-web-09");
        Assert.All(_netbox.Writes,
            w => Assert.Equal(branch.SchemaId,
            w.RequestMessage.Headers!.First(h => h.Key.Equals("X-NetBox-Branch", StringComparison.OrdinalIgnoreCase)).Value.Single()));
        Assert.Contains($"NetBox branch: dc1 (schema {branch.SchemaId}) (the branch of work package dc1)", result.Err, StringComparison.Ordinal);
        Assert.Contains("Written in NetBox branch dc1.", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateVm_PluginAbsentInAutoMode_BehavesAsWithoutBranching()
    {
        var result = await CreateVmAsync();

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Contains(_netbox.VirtualMachines, vm => (string?)vm["name"] == "dc1-web-09");
        Assert.Empty(WithBranchHeader);
        Assert.Single(_netbox.Requests, r => r.RequestMessage.Path.StartsWith("/api/plugins/", StringComparison.Ordinal));
        Assert.DoesNotContain("NetBox branch", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("NetBox branch", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BranchingOn_PluginAbsent_Exit4NamingThePluginUrl_AndWritesNothing()
    {
        var result = await RunAsync(null, Settings(("Nautilus:NetBox:Branching", "on")),
            ["netbox", "create-vm", "--wp", "dc1", "--name", "x", "--role", "Web Server", "--cluster", "vsphere-prod-a"]);

        Assert.Equal(4, result.ExitCode);
        Assert.Contains($"{_netbox.Url}/api/plugins/branching/", result.Err, StringComparison.Ordinal);
        Assert.Contains("NAUTILUS_NETBOX_BRANCHING is on", result.Err, StringComparison.Ordinal);
        Assert.Empty(_netbox.Writes);
    }

    [Fact]
    public async Task CreateVm_BranchStillProvisioning_WaitsUntilReady_NeverWritingBefore()
    {
        _netbox.WithBranching().ProvisioningPolls = 4;
        using (var http = new HttpClient())
        {
            using var created = await http.PostAsync(_netbox.Url + "/api/plugins/branching/branches/",
                new StringContent("{\"name\":\"dc1\"}", System.Text.Encoding.UTF8, "application/json"));
            Assert.True(created.IsSuccessStatusCode);
        }

        var result = await CreateVmAsync();

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Contains("Waiting for NetBox branch dc1: it is provisioning", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(_netbox.Requests, r => r.ResponseMessage.StatusCode is 400);
        Assert.Single(_netbox.ViewOfBranch("dc1", Vms), vm => (string?)vm["name"] == "dc1-web-09");
    }

    [Fact]
    public async Task CreateVm_BranchNeverReady_Exit4After120Seconds_AndWritesNothing()
    {
        var branch = _netbox.WithBranching().AddBranch("dc1", status: "provisioning");
        _netbox.ProvisioningPolls = int.MaxValue;
        var time = new FakeTimeProvider();

        // The fake clock also drives each request's timeout: an hour-long one keeps a slow answer on a loaded machine
        // from timing out while the clock races ahead for the branch wait this test is about.
        var run = CliRunner.RunAsync(time, null, _dir.Path, Settings(("Nautilus:NetBox:BranchPollMs", "2000"), ("Nautilus:Http:TimeoutSeconds", "3600")),
            ["netbox", "create-vm", "--wp", "dc1", "--name", "x", "--role", "Web Server", "--cluster", "vsphere-prod-a", "--netbox-url", _netbox.Url]);
        var advanced = TimeSpan.Zero;
        while (!run.IsCompleted)
        {
            // The CLI's clock moves only here; the real delay just lets its poll run between steps.
            time.Advance(TimeSpan.FromSeconds(2));
            advanced += TimeSpan.FromSeconds(2);
            await Task.WhenAny(run, Task.Delay(10));
            Assert.True(advanced < TimeSpan.FromHours(1), "the CLI did not give up on a branch that never became ready");
        }

        var result = await run;
        Assert.Equal(4, result.ExitCode);
        Assert.Contains("NetBox branch 'dc1'", result.Err, StringComparison.Ordinal);
        Assert.Contains("still provisioning after 120 s", result.Err, StringComparison.Ordinal);
        Assert.Empty(_netbox.Writes);
        Assert.Empty(_netbox.RequestsInBranch(branch.SchemaId));
    }

    [Fact]
    public async Task WpStatus_Json_SaysWhichNetBoxDataItRead()
    {
        var branch = _netbox.WithBranching().AddBranch("dc1");
        _netbox.EditInBranch("dc1", Vms, 11, vm => vm["vcpus"] = 8m);

        var inBranch = await RunAsync(null, Settings(), ["wp", "status", "dc1", "--format", "json"]);
        branch.Status = "merged";
        var afterMerge = await RunAsync(null, Settings(), ["wp", "status", "dc1", "--format", "json"]);
        var onMain = await RunAsync(null, Settings(), ["wp", "status", "dc1", "--format", "json", "--netbox-branch", "main"]);

        Assert.True(inBranch.ExitCode == 0, inBranch.Err);
        Assert.Equal("dc1", (string?)JsonNode.Parse(inBranch.Out)!["netbox_branch"]);
        Assert.Equal("main", (string?)JsonNode.Parse(afterMerge.Out)!["netbox_branch"]);
        Assert.Contains("NetBox branch: main (NetBox branch 'dc1' is merged, its changes are in main)", afterMerge.Err, StringComparison.Ordinal);
        Assert.Equal("main", (string?)JsonNode.Parse(onMain.Out)!["netbox_branch"]);
    }

    [Fact]
    public async Task IacGenerate_InTheMergeRequestPipeline_ReadsTheWorkPackagesBranch()
    {
        _netbox.WithBranching().AddBranch("dc1");
        var created = await CreateVmAsync();
        Assert.True(created.ExitCode == 0, created.Err);
        var mr = new Dictionary<string, string> { ["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"] = "feature/dc1", ["CI_MERGE_REQUEST_IID"] = "7" };

        var inMr = await RunAsync(mr, Settings(), ["iac", "generate", "--out", Path.Combine(_dir.Path, "mr")]);
        var onMain = await RunAsync(mr, Settings(), ["iac", "generate", "--out", Path.Combine(_dir.Path, "main"), "--netbox-branch", "main"]);

        Assert.True(inMr.ExitCode == 0, inMr.Err);
        var manifest = File.ReadAllText(Path.Combine(_dir.Path, "mr", ".nautilus", "dc1", "manifest.json"));
        Assert.Contains("dc1-web-09", manifest, StringComparison.Ordinal);
        Assert.Contains("dc1-db-01", manifest, StringComparison.Ordinal);
        Assert.True(onMain.ExitCode == 0, onMain.Err);
        Assert.DoesNotContain("dc1-web-09", File.ReadAllText(Path.Combine(_dir.Path, "main", ".nautilus", "dc1", "manifest.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateStatus_WritesTheBranch_AndSaysSo()
    {
        _netbox.WithBranching().AddBranch("dc1");

        var result = await RunAsync(null, Settings(), ["netbox", "update-status", "--tag", "wp:dc1", "--status", "staged"]);

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Equal("staged", (string?)_netbox.FindInBranch("dc1", Vms, 11)!["status"]!["value"]);
        Assert.Equal("planned", (string?)_netbox.Find(Vms, 11)!["status"]!["value"]);
        Assert.Contains("Changed 1 object(s) tagged wp:dc1 in NetBox branch dc1: 1 planned → staged.", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NetBoxBranchOption_UnknownName_Exit3_AndOffWithAName_Exit2()
    {
        _netbox.WithBranching();

        var unknown = await RunAsync(null, Settings(), ["wp", "status", "dc1", "--netbox-branch", "nope"]);
        var off = await RunAsync(null, Settings(("Nautilus:NetBox:Branching", "off")), ["wp", "status", "dc1", "--netbox-branch", "nope"]);

        Assert.Equal(3, unknown.ExitCode);
        Assert.Contains("has no branch named 'nope'", unknown.Err, StringComparison.Ordinal);
        Assert.Equal(2, off.ExitCode);
        Assert.Contains("NAUTILUS_NETBOX_BRANCHING is off", off.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WpInit_CreatesTheNetBoxBranch_AndTheTagInsideIt()
    {
        _netbox.WithBranching();
        Git("init", "-q", "-b", "main");
        Git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "root");

        var first = await RunAsync(new Dictionary<string, string> { ["CI_PROJECT_URL"] = "https://gitlab.example.com/infra/dc" }, Settings(),
            ["wp", "init", "q4-upgrade"]);
        var second = await RunAsync(null, Settings(), ["wp", "init", "q4-upgrade"]);

        Assert.True(first.ExitCode == 0, first.Err);
        var branch = Assert.Single(_netbox.Branches);
        Assert.Equal("q4-upgrade", branch.Name);
        Assert.Equal("ready", branch.Status);
        Assert.Contains("https://gitlab.example.com/infra/dc/-/tree/feature/q4-upgrade", branch.Description, StringComparison.Ordinal);
        Assert.Contains("created  NetBox branch q4-upgrade", first.Out, StringComparison.Ordinal);
        Assert.Single(_netbox.ViewOfBranch("q4-upgrade", "extras/tags"), t => (string?)t["name"] == "wp:q4-upgrade");
        Assert.DoesNotContain(_netbox.Tags, t => (string?)t["name"] == "wp:q4-upgrade");
        Assert.True(second.ExitCode == 0, second.Err);
        Assert.Contains("exists   NetBox branch q4-upgrade", second.Out, StringComparison.Ordinal);
        Assert.Contains("exists   NetBox tag wp:q4-upgrade", second.Out, StringComparison.Ordinal);
        Assert.Single(_netbox.Branches);
    }

    [Fact]
    public async Task WpInit_TokenMayNotCreateBranches_Exits5NamingThePermission()
    {
        _netbox.WithBranching();
        _netbox.DeniedBranchActions.Add("add");
        Git("init", "-q", "-b", "main");
        Git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "root");

        var result = await RunAsync(null, Settings(), ["wp", "init", "q4-upgrade"]);

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("netbox_branching.add_branch", result.Err, StringComparison.Ordinal);
        Assert.Contains("Admin → Permissions", result.Err, StringComparison.Ordinal);
        Assert.Empty(_netbox.Branches);
    }

    private void Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = _dir.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', args)}: {process.StandardError.ReadToEnd()}");
    }
}
