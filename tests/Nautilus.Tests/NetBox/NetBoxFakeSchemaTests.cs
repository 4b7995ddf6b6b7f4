using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nautilus.Testing;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.NetBox;

/// <summary>The fake must answer what NetBox answers: its responses validate against NetBox's OpenAPI schema.</summary>
[RealTool]
public sealed class NetBoxFakeSchemaTests : IDisposable
{
    private readonly NetBoxFake _netbox = new NetBoxFake().WithExport(CliRunner.Example);
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _http.Dispose();
        _netbox.Dispose();
    }

    [Theory]
    [InlineData("/api/virtualization/virtual-machines/?tag=wp-dc1-refresh&limit=5", "PaginatedVirtualMachineWithConfigContextList")]
    [InlineData("/api/virtualization/virtual-machines/?limit=5&offset=5", "PaginatedVirtualMachineWithConfigContextList")]
    [InlineData("/api/dcim/devices/?tag=wp-dc1-refresh", "PaginatedDeviceWithConfigContextList")]
    [InlineData("/api/extras/tags/?name=wp:dc1-refresh", "PaginatedTagList")]
    public async Task NetBoxFake_ListResponses_MatchNetBoxSchema(string path, string definition)
    {
        var json = await _http.GetStringAsync(_netbox.Url + path);

        var check = await Tools.ValidateNetBoxAsync(definition, json);

        Assert.True(check.ExitCode == 0, check.Out + check.Err);
    }

    [Fact]
    public async Task NetBoxFake_JournalEntryCreate_MatchesNetBoxSchema()
    {
        using var response = await _http.PostAsJsonAsync(_netbox.Url + "/api/extras/journal-entries/", new JsonArray(new JsonObject
        {
            ["assigned_object_type"] = "virtualization.virtualmachine",
            ["assigned_object_id"] = 11,
            ["comments"] = "Deployed by nautilus",
            ["kind"] = "success",
        }));
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray()[0]!.ToJsonString();

        var check = await Tools.ValidateNetBoxAsync("JournalEntry", created);

        Assert.True(check.ExitCode == 0, check.Out + check.Err);
    }
}
