using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nautilus.Testing;

namespace Nautilus.Tests.NetBox;

/// <summary>
/// The fake must answer what the netbox-branching plugin answers (shapes vendored in Fixtures/netbox-branching) and
/// behave as it does where Nautilus depends on it, or tests of the branching flow would prove nothing.
/// </summary>
public sealed class NetBoxBranchingFakeTests : IDisposable
{
    private const string Vms = "virtualization/virtual-machines";
    private readonly NetBoxFake _netbox = new NetBoxFake().WithBranching();
    private readonly HttpClient _http = new();

    public NetBoxBranchingFakeTests()
    {
        _netbox.Serve("virtualization/clusters").Add("virtualization/clusters", [new JsonObject { ["id"] = 3, ["name"] = "vsphere-prod-a", ["url"] = "x" }]);
        _netbox.AddVirtualMachine(11, "web-01", tags: ["wp:dc1"], vcpus: 2, memory: 4096);
    }

    public void Dispose()
    {
        _http.Dispose();
        _netbox.Dispose();
    }

    private static JsonNode Fixture(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "netbox-branching", name)))!;

    private async Task<(HttpStatusCode Status, JsonNode? Body, string Text)> SendAsync(HttpMethod method, string path, JsonNode? body = null,
        string? branch = null)
    {
        using var request = new HttpRequestMessage(method, _netbox.Url + path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (branch is not null)
        {
            request.Headers.Add("X-NetBox-Branch", branch);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? parsed = null;
        if (text.StartsWith('{') || text.StartsWith('['))
        {
            parsed = JsonNode.Parse(text);
        }

        return (response.StatusCode, parsed, text);
    }

    /// <summary>
    /// Same keys at every level; where both sides hold a value (not null), the same JSON kind. The three-way views of
    /// conflicting_data are keyed by the conflicting fields, which differ from example to example.
    /// </summary>
    private static void AssertSameShape(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        if (expected is null || actual is null || path.Contains(".conflicting_data.", StringComparison.Ordinal))
        {
            return;
        }

        Assert.True(expected.GetValueKind() == actual.GetValueKind(),
            $"{path}: expected {expected.GetValueKind()}, got {actual.GetValueKind()} ({actual.ToJsonString()})");
        switch (expected)
        {
            case JsonObject e:
                var a = actual.AsObject();
                Assert.Equal(e.Select(kv => kv.Key).Order(StringComparer.Ordinal), a.Select(kv => kv.Key).Order(StringComparer.Ordinal));
                foreach (var (key, value) in e)
                {
                    AssertSameShape(value, a[key], $"{path}.{key}");
                }

                break;
            case JsonArray e when e.Count > 0 && actual.AsArray().Count > 0:
                AssertSameShape(e[0], actual.AsArray()[0], path + "[0]");
                break;
        }
    }

    [Fact]
    public async Task BranchCreate_AnswersTheDocumentedShape_WithTheSerializersStatusChoice()
    {
        var (status, body, _) = await SendAsync(HttpMethod.Post, "/api/plugins/branching/branches/",
            new JsonObject { ["name"] = "dc1", ["description"] = "GitLab feature/dc1" });

        Assert.Equal(HttpStatusCode.Created, status);
        var documented = Fixture("branch-create.rest-api-example.json").AsObject();

        // docs/rest-api.md shows "status": "new"; BranchSerializer's ChoiceField renders {value, label} (SOURCES.md).
        Assert.Equal("new", (string?)body!["status"]!["value"]);
        Assert.Equal("New", (string?)body["status"]!["label"]);
        documented["status"] = new JsonObject { ["value"] = "new", ["label"] = "New" };
        AssertSameShape(documented, body);
        Assert.Matches("^[a-z0-9]{8}$", (string?)body["schema_id"]);
    }

    [Fact]
    public async Task Branch_ProvisioningTakesAFewReads_AndRefusesWorkUntilReady()
    {
        var (_, created, _) = await SendAsync(HttpMethod.Post, "/api/plugins/branching/branches/", new JsonObject { ["name"] = "dc1" });
        var id = (int)created!["id"]!;
        var schema = (string)created["schema_id"]!;

        var early = await SendAsync(HttpMethod.Get, "/api/virtualization/virtual-machines/", branch: schema);
        var first = await SendAsync(HttpMethod.Get, $"/api/plugins/branching/branches/{id}/");
        var second = await SendAsync(HttpMethod.Get, $"/api/plugins/branching/branches/{id}/");
        var ready = await SendAsync(HttpMethod.Get, "/api/virtualization/virtual-machines/", branch: schema);
        var unknown = await SendAsync(HttpMethod.Get, "/api/virtualization/virtual-machines/", branch: "zzzzzzzz");

        Assert.Equal(HttpStatusCode.BadRequest, early.Status);
        Assert.Contains("not ready for use (status: new)", early.Text);
        Assert.Equal("provisioning", (string?)first.Body!["status"]!["value"]);
        Assert.Equal("ready", (string?)second.Body!["status"]!["value"]);
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal(1, (int)ready.Body!["count"]!);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Equal("Invalid branch identifier", unknown.Text);
    }

    [Fact]
    public async Task BranchScope_WritesAreCopyOnWrite_AndIdsComeFromMainsSequence()
    {
        var branch = _netbox.AddBranch("dc1");

        var created = await SendAsync(HttpMethod.Post, "/api/virtualization/virtual-machines/",
            new JsonObject { ["name"] = "db-01", ["status"] = "planned", ["cluster"] = 3 }, branch.SchemaId);
        var patched = await SendAsync(HttpMethod.Patch, "/api/virtualization/virtual-machines/", new JsonArray(new JsonObject { ["id"] = 11, ["vcpus"] = 8 }),
            branch.SchemaId);
        var inMain = await SendAsync(HttpMethod.Post, "/api/virtualization/virtual-machines/",
            new JsonObject { ["name"] = "app-01", ["status"] = "planned", ["cluster"] = 3 });

        var newId = (int)created.Body!["id"]!;
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Equal(newId + 1, (int)inMain.Body!["id"]!);
        Assert.Null(_netbox.Find(Vms, newId));
        Assert.Equal(2m, (decimal?)_netbox.Find(Vms, 11)!["vcpus"]);
        Assert.Equal(8m, (decimal?)_netbox.FindInBranch("dc1", Vms, 11)!["vcpus"]);
        Assert.Equal(new[] { 11, newId }, _netbox.ViewOfBranch("dc1", Vms).Select(o => (int)o["id"]!));
    }

    [Fact]
    public async Task Changes_ListTheBranchsNetEffect_InTheSerializersFields()
    {
        var branch = _netbox.AddBranch("dc1");
        _netbox.AddVirtualMachine(12, "old-01");
        var other = _netbox.AddBranch("other");
        await SendAsync(HttpMethod.Post, "/api/virtualization/virtual-machines/",
            new JsonObject { ["name"] = "db-01", ["status"] = "planned", ["cluster"] = 3 }, branch.SchemaId);
        await SendAsync(HttpMethod.Patch, "/api/virtualization/virtual-machines/11/", new JsonObject { ["vcpus"] = 8 }, branch.SchemaId);
        await SendAsync(HttpMethod.Delete, "/api/virtualization/virtual-machines/11/", branch: other.SchemaId);

        var (_, page, _) = await SendAsync(HttpMethod.Get, $"/api/plugins/branching/changes/?branch_id={branch.Id}");

        var results = page!["results"]!.AsArray();
        Assert.Equal(new[] { "create", "update" }, results.Select(r => (string)r!["action"]!["value"]!).Order());
        var fields = Fixture("changediff.serializer-fields.json");
        foreach (var r in results)
        {
            Assert.Equal(fields["fields"]!.AsArray().Select(f => (string)f!).Order(), r!.AsObject().Select(kv => kv.Key).Order());
            Assert.Equal(fields["branch_brief_fields"]!.AsArray().Select(f => (string)f!).Order(), r["branch"]!.AsObject().Select(kv => kv.Key).Order());
            Assert.Equal(fields["diff_keys"]!.AsArray().Select(f => (string)f!).Order(), r["diff"]!.AsObject().Select(kv => kv.Key).Order());
        }

        var update = results.Single(r => (string?)r!["action"]!["value"] == "update")!;
        Assert.Equal("virtualization.virtualmachine", (string?)update["object_type"]);
        Assert.Equal(11, (int)update["object_id"]!);
        Assert.Equal(2, (int)update["original_data"]!["vcpus"]!);
        Assert.Equal(8, (int)update["modified_data"]!["vcpus"]!);
        Assert.Equal("planned", (string?)update["modified_data"]!["status"]);
        Assert.Equal(new[] { "wp:dc1" }, update["modified_data"]!["tags"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(8, (int)update["diff"]!["modified"]!["vcpus"]!);
        Assert.Null(update["conflicts"]);
        var create = results.Single(r => (string?)r!["action"]!["value"] == "create")!;
        Assert.Null(create["original_data"]);
        Assert.Equal("db-01", (string?)create["modified_data"]!["name"]);
        Assert.Equal(3, (int)create["modified_data"]!["cluster"]!);
    }

    [Fact]
    public async Task Merge_AnswersAJob_ThatRunsThenCompletes_AndMainKeepsTheBranchsIds()
    {
        var branch = _netbox.AddBranch("dc1");
        var created = await SendAsync(HttpMethod.Post, "/api/virtualization/virtual-machines/",
            new JsonObject { ["name"] = "db-01", ["status"] = "planned", ["cluster"] = 3 }, branch.SchemaId);
        var id = (int)created.Body!["id"]!;

        var (status, job, _) = await SendAsync(HttpMethod.Post, $"/api/plugins/branching/branches/{branch.Id}/merge/", new JsonObject { ["commit"] = true });
        var jobPath = new Uri((string)job!["url"]!).AbsolutePath;
        var running = await SendAsync(HttpMethod.Get, jobPath);
        var done = await SendAsync(HttpMethod.Get, jobPath);

        Assert.Equal(HttpStatusCode.OK, status);
        AssertSameShape(Fixture("sync-job.rest-api-example.json"), job);
        Assert.Equal("Merge branch", (string?)job["name"]);
        Assert.Equal("pending", (string?)job["status"]!["value"]);
        Assert.Equal("running", (string?)running.Body!["status"]!["value"]);
        Assert.Equal("completed", (string?)done.Body!["status"]!["value"]);
        Assert.Equal("db-01", (string?)_netbox.Find(Vms, id)!["name"]);
        Assert.Equal("merged", _netbox.Branch("dc1")!.Status);
    }

    [Fact]
    public async Task Merge_WithConflicts_Answers409_UntilAcknowledged_ThenTheBranchWins()
    {
        var branch = _netbox.AddBranch("dc1");
        _netbox.EditInBranch("dc1", Vms, 11, vm => vm["vcpus"] = 8m);
        _netbox.EditInMain(Vms, 11, vm => vm["vcpus"] = 4m);
        _netbox.EditInMain(Vms, 11, vm => vm["memory"] = 8192L);
        Assert.Equal(8m, (decimal?)_netbox.FindInBranch("dc1", Vms, 11)!["vcpus"]);
        Assert.Equal(4096L, (long?)_netbox.FindInBranch("dc1", Vms, 11)!["memory"]);

        var refused = await SendAsync(HttpMethod.Post, $"/api/plugins/branching/branches/{branch.Id}/merge/", new JsonObject { ["commit"] = true });
        var accepted = await SendAsync(HttpMethod.Post, $"/api/plugins/branching/branches/{branch.Id}/merge/",
            new JsonObject { ["commit"] = true, ["acknowledge_conflicts"] = true });
        var jobPath = new Uri((string)accepted.Body!["url"]!).AbsolutePath;
        await SendAsync(HttpMethod.Get, jobPath);
        var done = await SendAsync(HttpMethod.Get, jobPath);

        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        AssertSameShape(Fixture("conflict-409.rest-api-example.json"), refused.Body);
        var conflict = refused.Body!["conflicts"]![0]!;
        Assert.Equal(new[] { "vcpus" }, conflict["conflicts"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(2, (int)conflict["conflicting_data"]!["original"]!["vcpus"]!);
        Assert.Equal(8, (int)conflict["conflicting_data"]!["branch"]!["vcpus"]!);
        Assert.Equal(4, (int)conflict["conflicting_data"]!["main"]!["vcpus"]!);
        Assert.Equal("completed", (string?)done.Body!["status"]!["value"]);
        Assert.Equal(8m, (decimal?)_netbox.Find(Vms, 11)!["vcpus"]);
        Assert.Equal(8192L, (long?)_netbox.Find(Vms, 11)!["memory"]);
    }

    [Fact]
    public async Task Jobs_CanEndErrored_AndActionsNeedTheirPermission()
    {
        var branch = _netbox.AddBranch("dc1");
        _netbox.EditInBranch("dc1", Vms, 11, vm => vm["vcpus"] = 8m);
        _netbox.FailNextJob("ValidationError({'name': ['Virtual machine name must be unique per cluster.']})");
        _netbox.DeniedBranchActions.Add("sync");

        var (_, job, _) = await SendAsync(HttpMethod.Post, $"/api/plugins/branching/branches/{branch.Id}/merge/", new JsonObject { ["commit"] = true });
        var jobPath = new Uri((string)job!["url"]!).AbsolutePath;
        await SendAsync(HttpMethod.Get, jobPath);
        var ended = await SendAsync(HttpMethod.Get, jobPath);
        var denied = await SendAsync(HttpMethod.Post, $"/api/plugins/branching/branches/{branch.Id}/sync/", new JsonObject { ["commit"] = true });

        Assert.Equal("errored", (string?)ended.Body!["status"]!["value"]);
        Assert.Contains("unique per cluster", (string?)ended.Body["error"]);
        Assert.Equal("ready", _netbox.Branch("dc1")!.Status);
        Assert.Equal(2m, (decimal?)_netbox.Find(Vms, 11)!["vcpus"]);
        Assert.Equal(HttpStatusCode.Forbidden, denied.Status);
        Assert.Equal("This user does not have permission to sync branches.", (string?)denied.Body!["detail"]);
    }

    [Fact]
    public async Task MainChangesAfterProvisioning_AreNotSeenInTheBranch_UntilSynced()
    {
        var branch = _netbox.AddBranch("dc1");
        _netbox.EditInMain(Vms, 11, vm => vm["memory"] = 8192L);
        var before = await SendAsync(HttpMethod.Get, "/api/virtualization/virtual-machines/?id=11", branch: branch.SchemaId);
        Assert.Equal(4096L, (long?)before.Body!["results"]![0]!["memory"]);

        var (_, job, _) = await SendAsync(HttpMethod.Post, $"/api/plugins/branching/branches/{branch.Id}/sync/", new JsonObject { ["commit"] = true });
        var jobPath = new Uri((string)job!["url"]!).AbsolutePath;
        await SendAsync(HttpMethod.Get, jobPath);
        await SendAsync(HttpMethod.Get, jobPath);

        Assert.Equal("Sync branch", (string?)job["name"]);
        Assert.Equal(8192L, (long?)_netbox.FindInBranch("dc1", Vms, 11)!["memory"]);
        Assert.NotNull(_netbox.Branch("dc1")!.LastSync);
    }

    [Fact]
    public async Task WithoutThePlugin_TheRootIs404_AndTheHeaderIsIgnored()
    {
        using var plain = new NetBoxFake();
        plain.AddVirtualMachine(11, "web-01");

        using var root = await _http.GetAsync(plain.Url + "/api/plugins/branching/");
        using var request = new HttpRequestMessage(HttpMethod.Get, plain.Url + "/api/virtualization/virtual-machines/");
        request.Headers.Add("X-NetBox-Branch", "td5smq0f");
        using var list = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, root.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/plugins/branching/")).Status);
    }
}
