using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.Mcp;

/// <summary>Drives `nautilus mcp` as an agent would: the SDK's client over stdio against the real process.</summary>
public sealed class McpServerTests
{
    internal static async Task<McpClient> StartAsync(IDictionary<string, string?>? environment = null, params string[] extra)
    {
        // The CLI's own output folder: beside the tests, ASP.NET's shared framework (pulled in by WireMock)
        // displaces package assemblies the CLI's deps.json names, such as Microsoft.Extensions.ObjectPool.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var dll = Path.Combine(CliRunner.RepoRoot, "src", "Nautilus.Cli", "bin", configuration, "net10.0", "nautilus.dll");
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "nautilus",
            Command = "dotnet",
            Arguments = [dll, "mcp", .. extra],
            WorkingDirectory = CliRunner.RepoRoot,
            EnvironmentVariables = environment ?? new Dictionary<string, string?>(),
        });
        return await McpClient.CreateAsync(transport);
    }

    internal static string TextOf(CallToolResult result) =>
        string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    [Fact]
    public async Task Mcp_ListTools_OffersEveryIntent()
    {
        await using var client = await StartAsync(null, "--source", CliRunner.Example);

        var tools = await client.ListToolsAsync();

        Assert.Equal(["drift", "generate", "plan_summary", "update_status", "wp_status"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        var update = tools.Single(t => t.Name == "update_status");
        Assert.Contains("confirm", update.JsonSchema.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mcp_ConstitutionResource_IsNautilusMd()
    {
        await using var client = await StartAsync(null, "--source", CliRunner.Example);

        var resource = await client.ReadResourceAsync("nautilus://constitution");

        var text = Assert.IsType<TextResourceContents>(Assert.Single(resource.Contents)).Text;
        Assert.Equal(File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "NAUTILUS.md")), text);
    }

    [Fact]
    public async Task Mcp_WpStatus_ReturnsTheWavesFromTheSource()
    {
        await using var client = await StartAsync(null, "--source", CliRunner.Example);

        var result = await client.CallToolAsync("wp_status", new Dictionary<string, object?> { ["workPackage"] = "dc1-refresh" });

        Assert.NotEqual(true, result.IsError);
        var json = JsonNode.Parse(TextOf(result))!;
        Assert.Equal("network-foundation", (string?)json["waves"]![0]!["name"]);
        Assert.Equal(6, json["waves"]!.AsArray().Count);
    }

    [Fact]
    public async Task Mcp_WpStatus_BadInputIsAToolErrorWithTheExitCodeMeaning()
    {
        await using var client = await StartAsync(null, "--source", CliRunner.Example);

        var result = await client.CallToolAsync("wp_status", new Dictionary<string, object?> { ["workPackage"] = "Not Valid" });

        Assert.True(result.IsError);
        Assert.Contains("exit code 2 (usage)", TextOf(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mcp_Generate_WritesIntoATemporaryDirectoryAndReturnsTheManifest()
    {
        await using var client = await StartAsync(null, "--source", CliRunner.Example);

        var result = await client.CallToolAsync("generate", new Dictionary<string, object?> { ["workPackage"] = "dc1-refresh", ["provider"] = "aws" });

        Assert.NotEqual(true, result.IsError);
        var manifest = JsonNode.Parse(TextOf(result))!;
        Assert.Equal("dc1-refresh", (string?)manifest["work_package"]);
        var dir = (string)manifest["generated_into"]!;
        try
        {
            Assert.StartsWith(Path.GetTempPath().TrimEnd('/'), dir, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(dir, "terraform", "dc1-refresh", "database", "main.tf")));
            Assert.False(Directory.Exists(Path.Combine(CliRunner.RepoRoot, "terraform", "dc1-refresh")), "nothing is written into the repository");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Mcp_PlanSummary_ReturnsTheCommentMarkdownWithoutPosting()
    {
        var plans = Directory.CreateTempSubdirectory("nautilus-mcp-plans-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(plans, "database"));
            File.Copy(Path.Combine(Nautilus.Tests.PlanNotes.PlanFixtures.Dir, "basic-create.json"), Path.Combine(plans, "database", "plan.json"));
            await using var client = await StartAsync(null, "--source", CliRunner.Example);

            var result = await client.CallToolAsync("plan_summary", new Dictionary<string, object?> { ["plansDir"] = plans, ["workPackage"] = "dc1-refresh" });

            Assert.NotEqual(true, result.IsError);
            var markdown = TextOf(result);
            Assert.Contains("<!-- nautilus:plan:dc1-refresh -->", markdown, StringComparison.Ordinal);
            Assert.Contains("database", markdown, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(plans, recursive: true);
        }
    }

    [Fact]
    public async Task Mcp_Drift_FoundIsAResultNotAnError()
    {
        var states = Directory.CreateTempSubdirectory("nautilus-mcp-states-").FullName;
        try
        {
            await using var client = await StartAsync(null, "--source", CliRunner.Example);

            var result = await client.CallToolAsync("drift", new Dictionary<string, object?> { ["workPackage"] = "dc1-refresh", ["stateDir"] = states });

            Assert.NotEqual(true, result.IsError);
            Assert.Contains("dc1-bastion-01", TextOf(result), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(states, recursive: true);
        }
    }

    [Fact]
    public async Task Mcp_UpdateStatus_WithoutConfirmation_IsADryRunThatWritesNothing()
    {
        using var netbox = new Nautilus.Testing.NetBoxFake().WithExport(CliRunner.Example);
        await using var client = await StartAsync(new Dictionary<string, string?> { ["NAUTILUS_NETBOX_URL"] = netbox.Url,
            ["NAUTILUS_NETBOX_TOKEN"] = "0123456789abcdef0123456789abcdef01234567" });

        var result = await client.CallToolAsync("update_status",
            new Dictionary<string, object?> { ["workPackage"] = "dc1-refresh", ["status"] = "active", ["confirm"] = "yes" });

        Assert.True(result.IsError != true, TextOf(result));
        Assert.StartsWith("DRY RUN, nothing changed", TextOf(result), StringComparison.Ordinal);
        Assert.Contains("confirm=\"dc1-refresh\"", TextOf(result), StringComparison.Ordinal);
        Assert.Empty(netbox.Writes);
    }

    [Fact]
    public async Task Mcp_UpdateStatus_ConfirmedByName_AppliesToNetBox()
    {
        using var netbox = new Nautilus.Testing.NetBoxFake().WithExport(CliRunner.Example);
        await using var client = await StartAsync(new Dictionary<string, string?> { ["NAUTILUS_NETBOX_URL"] = netbox.Url,
            ["NAUTILUS_NETBOX_TOKEN"] = "0123456789abcdef0123456789abcdef01234567" });

        var result = await client.CallToolAsync("update_status",
            new Dictionary<string, object?> { ["workPackage"] = "dc1-refresh", ["status"] = "active", ["wave"] = "database", ["confirm"] = "dc1-refresh" });

        Assert.NotEqual(true, result.IsError);
        Assert.StartsWith("Applied", TextOf(result), StringComparison.Ordinal);
        Assert.Equal("active", (string?)netbox.Find("virtualization/virtual-machines", 21)!["status"]!["value"]);
        Assert.Equal("active", (string?)netbox.Find("virtualization/virtual-machines", 22)!["status"]!["value"]);
        Assert.Equal("planned", (string?)netbox.Find("virtualization/virtual-machines", 31)!["status"]!["value"]);
    }
}
