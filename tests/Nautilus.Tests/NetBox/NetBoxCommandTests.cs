using System.Text.Json.Nodes;
using Nautilus.Testing;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.NetBox;

public sealed class NetBoxCommandTests : IDisposable
{
    private readonly NetBoxFake _netbox = new NetBoxFake().WithExport(CliRunner.Example);
    private readonly string _dir = Directory.CreateTempSubdirectory("nautilus-export-").FullName;

    public void Dispose()
    {
        _netbox.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private Dictionary<string, string> Env =>
        new() { ["NAUTILUS_NETBOX_URL"] = _netbox.Url, ["NAUTILUS_NETBOX_TOKEN"] = "0123456789abcdef0123456789abcdef01234567" };

    [Fact]
    public async Task Bootstrap_EmptyNetBox_CreatesFieldsAndTagsThenSecondRunChangesNothing()
    {
        var first = await CliRunner.RunAsync(Env, null, null, "netbox", "bootstrap", "--wp", "q4-upgrade", "--wave", "network-foundation");

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("created  custom field deployment_sequence", first.Out, StringComparison.Ordinal);
        Assert.Contains("created  tag wp:q4-upgrade (slug wp-q4-upgrade)", first.Out, StringComparison.Ordinal);
        var wave = _netbox.Collections["extras/custom-fields"].Single(f => (string?)f["name"] == "deployment_wave");
        Assert.Equal("exact", (string?)wave["filter_logic"]);
        Assert.Equal(["virtualization.virtualmachine", "dcim.device"], wave["object_types"]!.AsArray().Select(t => (string?)t));
        var rollback = _netbox.Collections["extras/custom-fields"].Single(f => (string?)f["name"] == "rollback_complexity");
        Assert.Equal("select", (string?)rollback["type"]);
        Assert.NotNull(rollback["choice_set"]);
        var writes = _netbox.Writes.Count();

        var second = await CliRunner.RunAsync(Env, null, null, "netbox", "bootstrap", "--wp", "q4-upgrade", "--wave", "network-foundation");

        Assert.Equal(0, second.ExitCode);
        Assert.Equal(writes, _netbox.Writes.Count());
        Assert.DoesNotContain("created", second.Out, StringComparison.Ordinal);
        Assert.Single(_netbox.Tags, t => (string?)t["name"] == "wp:q4-upgrade");
    }

    [Fact]
    public async Task Bootstrap_TagMadeInUiWithColonDroppedSlug_IsFoundByName()
    {
        _netbox.Add("extras/tags", [JsonNode.Parse("""{"id":77,"name":"wp:legacy","slug":"wplegacy","color":"9e9e9e"}""")]);

        var result = await CliRunner.RunAsync(Env, null, null, "netbox", "bootstrap", "--wp", "legacy");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("exists   tag wp:legacy (slug wplegacy)", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bootstrap_DryRun_SendsNoWrite()
    {
        var result = await CliRunner.RunAsync(Env, null, null, "netbox", "bootstrap", "--wp", "new-wp", "--dry-run");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("would create tag wp:new-wp", result.Out, StringComparison.Ordinal);
        Assert.Empty(_netbox.Writes);
    }

    [Fact]
    public async Task Bootstrap_InvalidNames_ExitTwoListingEveryProblem()
    {
        var result = await CliRunner.RunAsync(Env, null, null, "netbox", "bootstrap", "--wp", "Bad Name", "--wp", "ok", "--wave", " ");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--wp 'Bad Name'", result.Err, StringComparison.Ordinal);
        Assert.Contains("--wave ' '", result.Err, StringComparison.Ordinal);
        Assert.Empty(_netbox.Writes);
    }

    [Fact]
    public async Task Export_LiveNetBox_WritesFileThatPlansLikeTheLiveSource()
    {
        var path = Path.Combine(_dir, "dc1.json");

        var export = await CliRunner.RunAsync(Env, null, null, "netbox", "export", "--wp", "dc1-refresh", "--out", path);
        var fromFile = await CliRunner.RunAsync("wp", "status", "dc1-refresh", "--source", path, "--format", "json");
        var live = await CliRunner.RunAsync(Env, null, null, "wp", "status", "dc1-refresh", "--format", "json");

        Assert.Equal(0, export.ExitCode);
        Assert.Equal(0, fromFile.ExitCode);
        var file = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal("4.6", (string?)file["netbox_version"]);
        Assert.Contains(file["devices"]!.AsArray(), d => (string?)d!["name"] == "dc1-pdu-a1");
        Assert.Equal(JsonNode.Parse(live.Out)!["waves"]!.ToJsonString(), JsonNode.Parse(fromFile.Out)!["waves"]!.ToJsonString());
        Assert.Equal(1, (int?)JsonNode.Parse(fromFile.Out)!["dependencies"]![0]!["planned_remaining"]);
    }

    [Fact]
    public async Task Export_ToStdout_IsTheSnapshotJson()
    {
        var result = await CliRunner.RunAsync(Env, null, null, "netbox", "export", "--wp", "dc1-refresh");

        Assert.Equal(0, result.ExitCode);
        var json = JsonNode.Parse(result.Out)!;
        Assert.Equal(13, json["virtual_machines"]!.AsArray().Count + json["devices"]!.AsArray().Count - 1);
    }
}
