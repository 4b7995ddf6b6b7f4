using System.Text.Json;
using Nautilus.Core.NetBox;

namespace Nautilus.Tests.Support;

/// <summary>Builds NetBox objects in their 4.x REST shape for planner tests.</summary>
public static class Objects
{
    public static VirtualMachine Vm(int id, string name, int? sequence = null, string? waveField = null, string status = "planned", params string[] tags) => new()
    {
        Id = id,
        Name = name,
        Status = Status(status),
        Tags = tags.Select((t, i) => new NestedTag { Id = 1000 + Math.Abs(t.GetHashCode(StringComparison.Ordinal) % 100000), Name = t, Slug = t.Replace(':', '-') }).ToList(),
        CustomFields = Fields(sequence, waveField),
    };

    public static Device Device(int id, string name, int? sequence = null, string? waveField = null, string status = "planned", params string[] tags) => new()
    {
        Id = id,
        Name = name,
        Status = Status(status),
        Tags = tags.Select(t => new NestedTag { Id = 1000 + Math.Abs(t.GetHashCode(StringComparison.Ordinal) % 100000), Name = t, Slug = t.Replace(':', '-') }).ToList(),
        CustomFields = Fields(sequence, waveField),
    };

    public static NetBoxSnapshot Snapshot(params NetBoxObject[] objects) => new()
    {
        NetBoxVersion = "4.6",
        VirtualMachines = objects.OfType<VirtualMachine>().ToList(),
        Devices = objects.OfType<Device>().ToList(),
    };

    private static ChoiceValue Status(string value) => new(JsonSerializer.SerializeToElement(value), value);

    private static Dictionary<string, JsonElement> Fields(int? sequence, string? wave) => new()
    {
        ["deployment_sequence"] = JsonSerializer.SerializeToElement(sequence),
        ["deployment_wave"] = JsonSerializer.SerializeToElement(wave),
        ["estimated_duration"] = JsonSerializer.SerializeToElement<int?>(null),
        ["rollback_complexity"] = JsonSerializer.SerializeToElement<string?>(null),
    };
}
