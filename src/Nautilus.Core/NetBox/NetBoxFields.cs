using System.Globalization;
using System.Text.Json;

namespace Nautilus.Core.NetBox;

/// <summary>One field of a NetBox object that changed: its value before and after (null: empty).</summary>
public sealed record FieldChange(string Field, string? Before, string? After);

/// <summary>
/// The NetBox values of an object that generated code depends on, flattened to text ("memory" → "8192",
/// "tags" → "priority:high, wave:db, wp:dc1-refresh", "custom_fields.deployment_wave" → "db"). The manifest keeps
/// them per object, so a later run can say which object and which field moved since the code was generated.
/// Empty values are left out: a field that disappears and one that was never set read the same.
/// </summary>
public static class NetBoxFields
{
    public static SortedDictionary<string, string> Of(NetBoxObject o)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Put(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                fields[name] = value;
            }
        }

        Put("name", o.Name);
        Put("status", o.StatusValue);
        Put("description", o.Description);
        Put("comments", o.Comments);
        Put("site", o.Site?.Label);
        Put("cluster", o.Cluster?.Label);
        Put("platform", o.Platform?.Label);
        Put("tenant", o.Tenant?.Label);
        Put("primary_ip4", o.PrimaryIp4?.Address);
        Put("tags", string.Join(", ", o.Tags.Select(t => t.Name).Order(StringComparer.Ordinal)));
        switch (o)
        {
            case VirtualMachine vm:
                Put("role", vm.Role?.Label);
                Put("vcpus", vm.Vcpus?.ToString("0.##", CultureInfo.InvariantCulture));
                Put("memory", vm.Memory?.ToString(CultureInfo.InvariantCulture));
                Put("disk", vm.Disk?.ToString(CultureInfo.InvariantCulture));
                break;
            case Device device:
                Put("role", device.EffectiveRole?.Label);
                Put("device_type", device.DeviceType?.Label);
                Put("serial", device.Serial);
                break;
        }

        foreach (var (key, value) in o.CustomFields ?? [])
        {
            if (value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Object)
            {
                Put("custom_fields." + key, o.CustomText(key));
            }
        }

        return fields;
    }

    /// <summary>The fields whose values differ, by field name.</summary>
    public static IReadOnlyList<FieldChange> Diff(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
        before.Keys.Union(after.Keys, StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(k => new FieldChange(k, before.GetValueOrDefault(k), after.GetValueOrDefault(k)))
            .Where(c => c.Before != c.After)
            .ToList();
}
