using System.Text.Json;
using Nautilus.Core.NetBox;

namespace Nautilus.Tests.Support;

/// <summary>Builds NetBox objects in their 4.x REST shape for planner tests.</summary>
public static class Objects
{
    public static VirtualMachine Vm(int id, string name, int? sequence = null, string? waveField = null, string status = "planned", params string[] tags) =>
        new()
    {
        Id = id,
        Name = name,
        Status = Status(status),
        Tags = tags.Select(Tag).ToList(),
        CustomFields = Fields(sequence, waveField),
    };

    public static Device Device(int id, string name, int? sequence = null, string? waveField = null, string status = "planned", params string[] tags) => new()
    {
        Id = id,
        Name = name,
        Status = Status(status),
        Tags = tags.Select(Tag).ToList(),
        CustomFields = Fields(sequence, waveField),
    };

    public static NetBoxSnapshot Snapshot(params NetBoxObject[] objects) => new()
    {
        NetBoxVersion = "4.6",
        VirtualMachines = objects.OfType<VirtualMachine>().ToList(),
        Devices = objects.OfType<Device>().ToList(),
    };

    /// <summary>
    /// A tag with an id derived from its name alone (FNV-1a), so a name has the same id in every run and every
    /// process; string.GetHashCode is randomised per process, which made ids, and anything ordered by them, vary.
    /// </summary>
    public static NestedTag Tag(string name) => new() { Id = TagId(name), Name = name, Slug = name.Replace(':', '-') };

    public static int TagId(string name)
    {
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(name))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return 1000 + (int)(hash % 1_000_000u);
    }

    private static ChoiceValue Status(string value) => new(JsonSerializer.SerializeToElement(value), value);

    private static Dictionary<string, JsonElement> Fields(int? sequence, string? wave) => new()
    {
        ["deployment_sequence"] = JsonSerializer.SerializeToElement(sequence),
        ["deployment_wave"] = JsonSerializer.SerializeToElement(wave),
        ["estimated_duration"] = JsonSerializer.SerializeToElement<int?>(null),
        ["rollback_complexity"] = JsonSerializer.SerializeToElement<string?>(null),
    };
}
