using System.Text.Json.Nodes;

namespace Nautilus.Webhooks.Tests.Support;

/// <summary>Objects shaped as NetBox 4.6 returns them (fields the service reads; tags nested as NetBox nests them).</summary>
public static class NetBoxObjects
{
    public static JsonObject Tag(int id, string name) => new()
    {
        ["id"] = id,
        ["url"] = $"http://netbox.invalid/api/extras/tags/{id}/",
        ["display"] = name,
        ["name"] = name,
        ["slug"] = name.Replace(':', '-'),
        ["color"] = "2196f3",
        ["description"] = "",
    };

    public static JsonObject Vm(int id, string name, string status, params JsonObject[] tags) =>
        Object(id, name, status, "virtualization/virtual-machines", tags);

    public static JsonObject Device(int id, string name, string status, params JsonObject[] tags) => Object(id, name, status, "dcim/devices", tags);

    public static JsonObject WithWave(this JsonObject o, string wave)
    {
        o["custom_fields"]!["deployment_wave"] = wave;
        return o;
    }

    private static JsonObject Object(int id, string name, string status, string path, JsonObject[] tags) => new()
    {
        ["id"] = id,
        ["url"] = $"http://netbox.invalid/api/{path}/{id}/",
        ["display"] = name,
        ["name"] = name,
        ["status"] = new JsonObject { ["value"] = status, ["label"] = status },
        ["tags"] = new JsonArray(tags.Select(t => (JsonNode?)new JsonObject
        {
            ["id"] = t["id"]!.DeepClone(),
            ["url"] = t["url"]!.DeepClone(),
            ["display"] = t["name"]!.DeepClone(),
            ["name"] = t["name"]!.DeepClone(),
            ["slug"] = t["slug"]!.DeepClone(),
            ["color"] = t["color"]!.DeepClone(),
        }).ToArray()),
        ["custom_fields"] = new JsonObject { ["deployment_wave"] = null, ["deployment_sequence"] = null },
        ["last_updated"] = "2026-11-20T10:00:00.000000Z",
    };
}
