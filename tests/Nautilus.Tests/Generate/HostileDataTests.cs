using System.Text.Json;
using System.Text.Json.Nodes;
using Nautilus.Tests.Support;
using Nautilus.Testing;

namespace Nautilus.Tests.Generate;

/// <summary>
/// NetBox text is data, never code (docs/design.md §4): names, descriptions, comments and custom fields full of
/// HCL template sequences, quotes, control characters, unicode and YAML specials must give output that the real
/// HCL parser and Ansible accept, holding the text literally with nothing evaluated.
/// </summary>
[RealTool]
public sealed class HostileDataTests
{
    private const string Injection = "web\"; ${file(\"/etc/passwd\")}";
    private const string Directive = "%{ if true }yes%{ endif } and $${already} and %%{x} and ${var.secret}";
    private const string Controls = "line1\nline2\r\n\ttab \u0001\u0007\u001b\u007f end \\ back\\slash \\n not-a-newline";
    private const string Unicode = "Zürich – 東京 🚀 \u2028 separator \u00a0nbsp";
    private const string YamlSpecials = ": # *alias &anchor !tag | > ' \" % @ ` - [a, b] {c: d}";
    private const string Jinja = "{{ lookup('pipe', 'id') }} {% if true %}x{% endif %} {# c #}";
    private const string HostileWave = "db \"prod\" ${wave} {{ wave }}: #yes";
    private static readonly string LongName = string.Concat(Enumerable.Repeat("long-name-", 30));

    public static TheoryData<string> Providers => IacGenerateTests.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task IacGenerate_HostileNetBoxText_ParsesWithRealToolsAndCarriesTextLiterally(string provider)
    {
        using var dir = new TempDir();
        var export = dir["hostile.json"];
        await File.WriteAllTextAsync(export, HostileExport().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        var result = await CliRunner.RunAsync(["iac", "generate", "--wp", "hostile", "--source", export, "--out", dir["out"], "--provider", provider]);

        Assert.True(result.ExitCode == 0, result.Err);
        await RealTools.AssertHclAsync(dir["out/terraform/hostile"]);

        // What HCL literals hold after unescaping: names arrive exactly, nothing was interpolated.
        var values = await HclValuesAsync(dir["out/terraform/hostile"]);
        foreach (var name in new[] { Injection, "yes", "~", LongName, "app server", "app-server", "*alias" })
        {
            Assert.Contains(name, values);
        }

        if (provider == "vsphere")
        {
            Assert.Contains(values, v => v.EndsWith("\n" + Directive, StringComparison.Ordinal)); // annotation: identity line, then the description
            Assert.Contains(values, v => v.EndsWith("\n" + YamlSpecials, StringComparison.Ordinal));
            Assert.Contains("prod ${cluster}", values);
        }

        if (provider == "aws")
        {
            Assert.Contains(HostileWave, values); // default_tags carry the wave name
        }

        Assert.DoesNotContain(values, v => v.Contains("root:x:0:0", StringComparison.Ordinal));

        var inventoryJson = await RealTools.AssertAnsibleAsync(dir["out/ansible/hostile"]);
        using var inventory = JsonDocument.Parse(inventoryJson);
        var hosts = inventory.RootElement.GetProperty("_meta").GetProperty("hostvars").EnumerateObject()
            .ToDictionary(h => (h.Value.GetProperty("netbox_object_type").GetString(), h.Value.GetProperty("netbox_object_id").GetInt32()),
                h => (Name: h.Name, Vars: h.Value));
        var first = hosts[("virtualization.virtualmachine", 1)].Vars;
        Assert.Equal(Injection, first.GetProperty("netbox_name").GetString());
        Assert.Equal(Directive, first.GetProperty("description").GetString());
        Assert.Equal(Controls, first.GetProperty("comments").GetString());
        Assert.Equal(Jinja, Text(first.GetProperty("custom_fields").GetProperty("notes"))); // !unsafe: never templated by Ansible
        var yes = hosts[("virtualization.virtualmachine", 2)];
        Assert.Equal("yes", yes.Name);
        Assert.Equal(JsonValueKind.String, yes.Vars.GetProperty("netbox_name").ValueKind);
        Assert.Equal(YamlSpecials, yes.Vars.GetProperty("description").GetString());
        Assert.Equal(Unicode, yes.Vars.GetProperty("comments").GetString());
        var tilde = hosts[("virtualization.virtualmachine", 3)].Vars;
        Assert.Equal("~", tilde.GetProperty("netbox_name").GetString());
        Assert.Equal("no", tilde.GetProperty("description").GetString());
        Assert.Equal("on", tilde.GetProperty("custom_fields").GetProperty("notes").GetString());
        Assert.Equal(LongName, hosts[("virtualization.virtualmachine", 4)].Vars.GetProperty("netbox_name").GetString());
        Assert.Equal(HostileWave, Text(hosts[("virtualization.virtualmachine", 9)].Vars.GetProperty("nautilus_wave")));

        // Warnings quote names, but never pass a terminal escape sequence through.
        Assert.Contains("evil\\u001B[31mred", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', result.Err);

        // A device and a VM named alike: both hosts take their id; the warning names them.
        Assert.Equal("edge-01-7", hosts[("virtualization.virtualmachine", 7)].Name);
        Assert.Equal("edge-01-8", hosts[("dcim.device", 8)].Name);
        Assert.Contains("share the host name 'edge-01'", result.Err, StringComparison.Ordinal);

        // Two names that sanitise to one identifier get distinct addresses, and a warning names both objects.
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(dir["out/.nautilus/hostile/manifest.json"]));
        var addresses = manifest.RootElement.GetProperty("waves").EnumerateArray().SelectMany(w => w.GetProperty("objects").EnumerateArray())
            .ToDictionary(o => (o.GetProperty("type").GetString(), o.GetProperty("id").GetInt32()), o => o.GetProperty("terraform_address").GetString()!);
        Assert.Equal(addresses.Count, addresses.Values.Distinct().Count());
        Assert.EndsWith(".app_server_5", addresses[("virtualization.virtualmachine", 5)], StringComparison.Ordinal);
        Assert.EndsWith(".app_server_6", addresses[("virtualization.virtualmachine", 6)], StringComparison.Ordinal);
        Assert.Contains("'app server' (id 5) and virtual machine 'app-server' (id 6) all become the Terraform name 'app_server'", result.Err,
            StringComparison.Ordinal);

        // Playbooks keep the hostile wave name as text: Jinja in it is marked !unsafe.
        var playbooks = string.Concat(Directory.GetFiles(dir["out/ansible/hostile/waves"]).Select(File.ReadAllText));
        Assert.Contains("!unsafe", playbooks, StringComparison.Ordinal);
    }

    /// <summary>ansible-inventory --list shows a value tagged !unsafe as {"__ansible_unsafe": "…"}.</summary>
    private static string? Text(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty("__ansible_unsafe", out var inner) ? inner.GetString() : value.GetString();

    /// <summary>Every string leaf of every literal attribute, as HCL evaluates it (hclcheck -values).</summary>
    private static async Task<List<string>> HclValuesAsync(string folder)
    {
        var files = Directory.EnumerateFiles(folder, "*.tf", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
        var run = await RealTools.RunAsync(RealTools.HclCheck, new[] { "-values" }.Concat(files), folder);
        Assert.True(run.ExitCode == 0, run.Err);
        var strings = new List<string>();
        void Collect(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.String:
                    strings.Add(e.GetString()!);
                    break;
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                    {
                        Collect(p.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray())
                    {
                        Collect(item);
                    }

                    break;
            }
        }

        foreach (var line in run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line);
            Collect(doc.RootElement.GetProperty("value"));
        }

        return strings;
    }

    private static JsonObject HostileExport()
    {
        var wp = Tag(90, "wp:hostile", "wp-hostile");
        var env = Tag(91, "env: \"prod\" ${x} {{ y }}", "env-prod");
        var vms = new JsonArray
        {
            Vm(1, Injection, Directive, Controls, Jinja, role: ("Web \"Tier\" ${x}", "web-tier"), cluster: "prod ${cluster}", tags: [wp, env]),
            Vm(2, "yes", YamlSpecials, Unicode, null, tags: [wp]),
            Vm(3, "~", "no", null, "on", tags: [wp]),
            Vm(4, LongName, null, null, null, tags: [wp]),
            Vm(5, "app server", null, null, null, tags: [wp]),
            Vm(6, "app-server", null, null, null, tags: [wp]),
            Vm(7, "edge-01", null, null, null, tags: [wp]),
            Vm(9, "*alias", null, null, null, tags: [wp], wave: HostileWave),
            Vm(10, "evil\u001b[31mred\u0007", null, null, null, tags: [wp]),
        };
        var device = Vm(8, "edge-01", "a device sharing a VM's name", null, null, tags: [wp]);
        device.Remove("vcpus");
        device.Remove("memory");
        device.Remove("disk");
        device.Remove("cluster");
        device["url"] = "https://netbox.example.com/api/dcim/devices/8/";
        device["device_type"] = new JsonObject { ["id"] = 20, ["model"] = "7050SX3 \"48\"", ["slug"] = "7050sx3-48" };
        device["serial"] = "SN: #1 ${x}";
        return new JsonObject
        {
            ["netbox_version"] = "4.6.8",
            ["virtual_machines"] = vms,
            ["devices"] = new JsonArray { device },
            ["tags"] = new JsonArray { wp.DeepClone(), env.DeepClone() },
        };
    }

    private static JsonObject Tag(int id, string name, string slug) => new()
    {
        ["id"] = id,
        ["url"] = $"https://netbox.example.com/api/extras/tags/{id}/",
        ["display"] = name,
        ["name"] = name,
        ["slug"] = slug,
        ["color"] = "9e9e9e",
    };

    private static JsonObject Vm(int id, string name, string? description, string? comments, string? notes, JsonObject[] tags,
        (string Name, string Slug)? role = null, string? cluster = null, string? wave = null) => new()
    {
        ["id"] = id,
        ["url"] = $"https://netbox.example.com/api/virtualization/virtual-machines/{id}/",
        ["display_url"] = $"https://netbox.example.com/virtualization/virtual-machines/{id}/",
        ["display"] = name,
        ["name"] = name,
        ["status"] = new JsonObject { ["value"] = "planned", ["label"] = "Planned" },
        ["role"] = role is { } r ? new JsonObject { ["id"] = 5, ["name"] = r.Name, ["slug"] = r.Slug } : null,
        ["site"] = new JsonObject { ["id"] = 2, ["name"] = "DC1: \"main\"", ["slug"] = "dc1" },
        ["cluster"] = new JsonObject { ["id"] = 3, ["name"] = cluster ?? "vsphere-prod-a" },
        ["platform"] = null,
        ["primary_ip4"] = new JsonObject { ["id"] = 100 + id, ["address"] = $"10.99.0.{id}/24" },
        ["vcpus"] = 1.5,
        ["memory"] = 2048,
        ["disk"] = 10000,
        ["description"] = description ?? "",
        ["comments"] = comments ?? "",
        ["tags"] = new JsonArray(tags.Select(t => (JsonNode)t.DeepClone()).ToArray()),
        ["custom_fields"] = new JsonObject
        {
            ["deployment_sequence"] = id,
            ["deployment_wave"] = wave,
            ["notes"] = notes,
        },
    };
}
