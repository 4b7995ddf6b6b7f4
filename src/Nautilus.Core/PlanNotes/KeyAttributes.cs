using System.Text.Json;
using Nautilus.Core.Terraform;

namespace Nautilus.Core.PlanNotes;

/// <summary>One attribute of a resource Terraform will create, as the note shows it; <see cref="Raw"/> is its value when it is one string.</summary>
public sealed record KeyAttribute(string Name, string Display, string? Raw, bool Sensitive);

/// <summary>
/// What a reviewer wants to see of a resource being created (docs/design.md §6): its name, size and address, read from
/// the plan's `after` values. The allowlist per resource type is this one place; a type not in it shows no attributes
/// on create. A path is dotted, with [*] for every element of a list or block ("disk[*].size").
/// </summary>
public static class KeyAttributes
{
    private static readonly (string Type, string[] Paths)[] Allowlist =
    [
        ("vsphere_virtual_machine",
            ["name", "num_cpus", "memory", "disk[*].size", "clone[*].customize[*].network_interface[*].ipv4_address", "default_ip_address"]),
        ("aws_instance", ["tags.Name", "instance_type", "root_block_device[*].volume_size", "private_ip"]),
        ("azurerm_*_virtual_machine", ["name", "size", "os_disk[*].disk_size_gb", "private_ip_address"]),
        ("azurerm_virtual_machine", ["name", "vm_size"]),
        ("azurerm_network_interface", ["name", "ip_configuration[*].private_ip_address"]),
        ("terraform_data", ["input"]),
    ];

    /// <summary>The paths shown for <paramref name="type"/> (an exact type, or one matching a "prefix_*_suffix" entry).</summary>
    public static IReadOnlyList<string> PathsFor(string type)
    {
        foreach (var (pattern, paths) in Allowlist)
        {
            var star = pattern.IndexOf('*', StringComparison.Ordinal);
            if (star < 0 ? pattern == type : type.Length > pattern.Length && type.StartsWith(pattern[..star], StringComparison.Ordinal)
                && type.EndsWith(pattern[(star + 1)..], StringComparison.Ordinal))
            {
                return paths;
            }
        }

        return [];
    }

    /// <summary>
    /// The allowlisted attributes of a created resource: sensitive ones masked, unknown ones "(known after apply)", absent
    /// ones left out; several values of a [*] path as a list.
    /// </summary>
    public static IReadOnlyList<KeyAttribute> Of(ResourceChange resource, Func<string, string> redact, int maxValueLength = 120)
    {
        var result = new List<KeyAttribute>();
        foreach (var path in PathsFor(resource.Type))
        {
            var leaves = new List<Node> { new(resource.Change.After, resource.Change.AfterUnknown, resource.Change.AfterSensitive) };
            foreach (var step in path.Split('.'))
            {
                var all = step.EndsWith("[*]", StringComparison.Ordinal);
                var name = all ? step[..^3] : step;
                leaves = leaves.Select(n => n.Child(name)).SelectMany(n => all ? n.Elements() : [n]).ToList();
            }

            var shown = new List<(string Display, string? Raw, bool Sensitive)>();
            foreach (var leaf in leaves)
            {
                if (SensitiveValues.AnyTrue(leaf.Sensitive))
                {
                    shown.Add((SensitiveValues.Masked, null, true));
                }
                else if (leaf.Unknown is { ValueKind: JsonValueKind.True })
                {
                    shown.Add((SensitiveValues.KnownAfterApply, null, false));
                }
                else if (leaf.Value is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } value)
                {
                    shown.Add((SensitiveValues.DisplayWithUnknowns(value, leaf.Unknown, redact, maxValueLength),
                        value.ValueKind == JsonValueKind.String ? redact(value.GetString()!) : null, false));
                }
            }

            if (shown.Count == 1)
            {
                result.Add(new KeyAttribute(path, shown[0].Display, shown[0].Raw, shown[0].Sensitive));
            }
            else if (shown.Count > 1)
            {
                result.Add(new KeyAttribute(path, "[" + string.Join(", ", shown.Select(s => s.Display)) + "]", null, shown.Any(s => s.Sensitive)));
            }
        }

        return result;
    }

    /// <summary>A value with its unknown and sensitive masks, walked together.</summary>
    private sealed record Node(JsonElement? Value, JsonElement? Unknown, JsonElement? Sensitive)
    {
        public Node Child(string name) => new(
            Value is { ValueKind: JsonValueKind.Object } v && v.TryGetProperty(name, out var child) ? child : null,
            SensitiveValues.Child(Unknown, name),
            SensitiveValues.Child(Sensitive, name));

        public IEnumerable<Node> Elements()
        {
            if (Unknown is { ValueKind: JsonValueKind.True })
            {
                return [this];
            }

            var count = Math.Max(Value is { ValueKind: JsonValueKind.Array } v ? v.GetArrayLength() : 0,
                Unknown is { ValueKind: JsonValueKind.Array } u ? u.GetArrayLength() : 0);
            return Enumerable.Range(0, count).Select(i => new Node(
                Value is { ValueKind: JsonValueKind.Array } a && i < a.GetArrayLength() ? a[i] : null,
                SensitiveValues.Child(Unknown, i),
                SensitiveValues.Child(Sensitive, i)));
        }
    }
}
