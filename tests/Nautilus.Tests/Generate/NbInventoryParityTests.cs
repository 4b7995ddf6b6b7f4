using System.Text.Json;
using Nautilus.Testing;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.Generate;

/// <summary>
/// Playbooks written for netbox.netbox.nb_inventory keep working on our inventory (docs/design.md §4): for the
/// example data, the hosts and the role_/cluster_/site_/tag_/status_/platform_ groups equal what Debian's
/// nb_inventory (plurals: false, invalid group characters transformed to '_') builds from a NetBox serving the
/// same export.
/// </summary>
[RealTool]
public sealed class NbInventoryParityTests
{
    private static readonly string[] Prefixes = ["role_", "cluster_", "site_", "tag_", "status_", "platform_"];

    [Fact]
    public async Task Inventory_ExampleExport_MatchesNbInventoryHostsAndGroups()
    {
        using var dir = new TempDir();
        var generated = await CliRunner.RunAsync(["iac", "generate", "--wp", "dc1-refresh", "--source", CliRunner.Example, "--out", dir["out"]]);
        Assert.True(generated.ExitCode == 0, generated.Err);
        var ours = Groups(await RealTools.AssertAnsibleAsync(dir["out/ansible/dc1-refresh"]));

        using var netbox = new NetBoxFake().WithExport(CliRunner.Example).WithRelatedObjects();
        await File.WriteAllTextAsync(dir["dc1.netbox.yml"], $"""
            plugin: netbox.netbox.nb_inventory
            api_endpoint: {netbox.Url}
            token: 0123456789abcdef0123456789abcdef01234567
            validate_certs: false
            plurals: false
            config_context: false
            interfaces: false
            services: false
            racks: false
            query_filters:
              - tag: wp-dc1-refresh
              - status: planned
            group_by: [role, site, cluster, tag, status, platform]
            """);
        Directory.CreateDirectory(dir["home"]);
        var environment = new Dictionary<string, string>(RealTools.Strict)
        {
            ["HOME"] = dir["home"], // nb_inventory caches NetBox's OpenAPI document under ~/.ansible/tmp
            ["ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS"] = "always",
        };
        var run = await RealTools.RunAsync(RealTools.Ansible("ansible-inventory"), ["-i", "dc1.netbox.yml", "--list"], dir.Path, environment);
        Assert.True(run.ExitCode == 0, $"nb_inventory failed ({run.ExitCode}):\n{run.Err}");
        var theirs = Groups(run.Out);

        Assert.NotEmpty(theirs["role_web_server"]);
        Assert.Equal(Hosts(theirs), Hosts(ours));
        Assert.Equal(theirs.Keys, ours.Keys.Where(k => Prefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal))));
        foreach (var (group, hosts) in theirs)
        {
            Assert.True(hosts.SequenceEqual(ours[group]), $"{group}: nb_inventory has {string.Join(", ", hosts)}; ours has {string.Join(", ", ours[group])}");
        }
    }

    /// <summary>Group → sorted hosts from `ansible-inventory --list` JSON (groups of nb_inventory's kinds only for theirs).</summary>
    private static SortedDictionary<string, List<string>> Groups(string inventoryJson)
    {
        using var doc = JsonDocument.Parse(inventoryJson);
        var groups = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var group in doc.RootElement.EnumerateObject())
        {
            if (group.Name is "_meta" or "all" or "ungrouped" || group.Value.ValueKind != JsonValueKind.Object
                || !group.Value.TryGetProperty("hosts", out var hosts))
            {
                continue;
            }

            groups[group.Name] = hosts.EnumerateArray().Select(h => h.GetString()!).Order(StringComparer.Ordinal).ToList();
        }

        return groups;
    }

    private static List<string> Hosts(SortedDictionary<string, List<string>> groups) =>
        groups.Where(g => Prefixes.Any(p => g.Key.StartsWith(p, StringComparison.Ordinal))).SelectMany(g => g.Value).Distinct().Order(StringComparer.Ordinal)
            .ToList();
}
