using System.Text.Json;
using System.Text.Json.Nodes;
using Nautilus.Core.NetBox;
using Nautilus.Core.Planning;
using Nautilus.Core.Rendering;
using Nautilus.Core.Terraform;

namespace Nautilus.Tests.Generate;

/// <summary>
/// inventory.yml is written as text in YamlDotNet's layout for speed; these compare it with what the emitter itself
/// writes, event by event, on hostile values and on every shape the direct writer hands back to the emitter.
/// </summary>
public sealed class InventoryLayoutTests
{
    private const string Hostile = "line1\nline2\r\n\ttab \u0001\u001b\u007f \\ back\"quote: # *a &b !c | > ' % @ ` - [a, b] {c: d} Zürich 東京 🚀 \u2028 " +
        "\u00a0 \ufeff";
    private const string Jinja = "{{ lookup('pipe', 'id') }} {% if %} {# c #}";

    [Fact]
    public void DirectWriter_HostileValues_WritesWhatTheEmitterWrites()
    {
        var (plan, waves) = Plan(Vm(1, "web-01", Hostile, Jinja, new JsonObject
        {
            ["deployment_sequence"] = 10,
            ["text"] = Hostile,
            ["jinja"] = Jinja,
            ["empty"] = "",
            ["yes"] = "yes",
            ["flag"] = true,
            ["off"] = false,
            ["none"] = null,
            ["ratio"] = -1.5e3,
            ["choice"] = new JsonObject { ["value"] = "high", ["label"] = Hostile },
            ["multi"] = new JsonArray("a", Jinja, 3, null),
            ["no_items"] = new JsonArray(),
            ["no_members"] = new JsonObject(),
        }), Vm(2, "db 01", "", null, new JsonObject()), Vm(3, "cache-01", new string('x', 2000), "c", null));

        using var direct = new StringWriter();
        Assert.True(InventoryWriter.TryWriteDirect(plan, Members(plan, waves), Sources(plan), direct));
        Assert.Equal(InventoryWriter.WriteWithEmitter(plan, waves), direct.ToString());
        Assert.Equal(InventoryWriter.WriteWithEmitter(plan, waves), InventoryWriter.Write(plan, waves));
    }

    public static TheoryData<string> Uncovered => new()
    {
        "nested-object", "nested-array", "unicode-key", "jinja-key", "long-key", "unicode-group",
    };

    [Theory]
    [MemberData(nameof(Uncovered))]
    public void Write_ShapeTheDirectWriterDoesNotCover_FallsBackToTheEmitter(string shape)
    {
        var fields = new JsonObject { ["deployment_sequence"] = 10 };
        var role = "web";
        switch (shape)
        {
            case "nested-object": fields["deep"] = new JsonObject { ["a"] = new JsonObject { ["b"] = 1 } }; break;
            case "nested-array": fields["deep"] = new JsonArray(new JsonArray("a")); break;
            case "unicode-key": fields["größe"] = 1; break;
            case "jinja-key": fields["{{ x }}"] = 1; break;
            case "long-key": fields[new string('k', 1100)] = 1; break;
            case "unicode-group": role = "Zürich"; break;
        }

        var (plan, waves) = Plan(Vm(1, "web-01", "d", "c", fields, role));

        using var direct = new StringWriter();
        Assert.False(InventoryWriter.TryWriteDirect(plan, Members(plan, waves), Sources(plan), direct));
        Assert.Equal("", direct.ToString());
        Assert.Equal(InventoryWriter.WriteWithEmitter(plan, waves), InventoryWriter.Write(plan, waves));
    }

    [Fact]
    public void DirectWriter_NoPlannedObjects_WritesWhatTheEmitterWrites()
    {
        var (plan, waves) = Plan();
        using var direct = new StringWriter();
        Assert.True(InventoryWriter.TryWriteDirect(plan, Members(plan, waves), Sources(plan), direct));
        Assert.Equal(InventoryWriter.WriteWithEmitter(plan, waves), direct.ToString());
    }

    private static List<(WaveModel Wave, ObjectModel Object)> Members(WavePlan plan, IReadOnlyList<WaveModel> waves) =>
        waves.SelectMany(w => w.Objects.Select(o => (Wave: w, Object: o))).OrderBy(m => m.Object.InventoryHost, StringComparer.Ordinal).ToList();

    private static Dictionary<(string ObjectType, int Id), PlannedObject> Sources(WavePlan plan) =>
        plan.Objects.ToDictionary(o => (o.Source.ObjectType, o.Id));

    private static (WavePlan Plan, IReadOnlyList<WaveModel> Waves) Plan(params JsonObject[] vms)
    {
        var export = new JsonObject { ["netbox_version"] = "4.6.8", ["virtual_machines"] = new JsonArray(vms), ["devices"] = new JsonArray(),
            ["tags"] = new JsonArray() };
        var snapshot = JsonSerializer.Deserialize<NetBoxSnapshot>(export.ToJsonString(), NetBoxSnapshot.LeanJsonOptions)!;
        var plan = Planner.Plan(snapshot, "inv", "test", statuses: ["planned"]);
        return (plan, IacGenerator.Waves(plan, TerraformProvider.Default, diskIsGigabytes: false));
    }

    private static JsonObject Vm(int id, string name, string description, string? comments, JsonObject? customFields, string role = "web") => new()
    {
        ["id"] = id,
        ["url"] = $"https://netbox.example.com/api/virtualization/virtual-machines/{id}/",
        ["display_url"] = $"https://netbox.example.com/virtualization/virtual-machines/{id}/",
        ["name"] = name,
        ["status"] = new JsonObject { ["value"] = "planned", ["label"] = "Planned" },
        ["role"] = new JsonObject { ["id"] = 7, ["name"] = role, ["slug"] = role },
        ["site"] = new JsonObject { ["id"] = 2, ["name"] = "DC 1", ["slug"] = "dc1" },
        ["cluster"] = new JsonObject { ["id"] = 3, ["name"] = "prod \"a\"" },
        ["primary_ip4"] = id == 2 ? null : new JsonObject { ["id"] = 100 + id, ["address"] = $"10.0.0.{id}/24" },
        ["vcpus"] = 2.5,
        ["memory"] = 4096,
        ["disk"] = null,
        ["description"] = description,
        ["comments"] = comments,
        ["tags"] = new JsonArray(
            new JsonObject { ["id"] = 1, ["name"] = "wp:inv", ["slug"] = "wp-inv" },
            new JsonObject { ["id"] = 2, ["name"] = "wave:app", ["slug"] = "wave-app" },
            new JsonObject { ["id"] = 3, ["name"] = "odd {{x}}", ["slug"] = "odd-x" }),
        ["custom_fields"] = customFields,
    };
}
