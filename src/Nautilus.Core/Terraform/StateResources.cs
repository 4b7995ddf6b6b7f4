using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nautilus.Core.NetBox;

namespace Nautilus.Core.Terraform;

/// <summary>
/// Maps the resources of a Terraform state (format 4) back to NetBox objects. The generated modules say which resource
/// is which object in their `nautilus_netbox` output, which the state keeps; resources written by hand can carry the
/// identity in tags/labels (netbox_object_type + netbox_id) or in an annotation/description ("virtualization.virtualmachine/12").
/// </summary>
public static partial class StateResources
{
    [GeneratedRegex(@"(?<type>virtualization\.virtualmachine|dcim\.device)\s*[/:#]\s*(?<id>\d+)")]
    private static partial Regex IdentityText();

    [GeneratedRegex(@"^(module\.[A-Za-z0-9_-]+(\[[^\]]*\])?\.)*(data\.)?[A-Za-z][A-Za-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_-]*(\[[^\]]*\])?$")]
    private static partial Regex ResourceAddress();

    private static readonly string[] IdentityMaps = ["tags", "tags_all", "labels", "extra_config", "metadata", "input", "triggers"];

    /// <param name="known">Address → identity from the manifest (terraform_address), used where the state's outputs do not say.</param>
    public static IReadOnlyList<StateObject> Read(TerraformState state, string stateName, IReadOnlyDictionary<string, (ObjectKind Kind, int Id)>? known = null)
    {
        var byAddress = IdentitiesFromOutputs(state);
        foreach (var (address, identity) in known ?? new Dictionary<string, (ObjectKind, int)>())
        {
            byAddress.TryAdd(address, identity);
        }

        var found = new List<StateObject>();
        foreach (var resource in state.ResourceList.Where(r => r.Mode == "managed"))
        {
            var instances = resource.Instances ?? [];
            foreach (var instance in instances)
            {
                var address = resource.Address + IndexOf(instance.IndexKey);
                var identity = byAddress.TryGetValue(address, out var byOutput) ? byOutput
                    : instances.Count == 1 && byAddress.TryGetValue(resource.Address, out var single) ? single
                    : IdentityFromAttributes(instance.Attributes);
                if (identity is not { } id)
                {
                    continue;
                }

                found.Add(Describe(resource.Type, instance.Attributes, id.Kind, id.Id, stateName, address));
            }
        }

        return found;
    }

    private static string IndexOf(JsonElement? key) => key switch
    {
        { ValueKind: JsonValueKind.String } s => $"[\"{s.GetString()}\"]",
        { ValueKind: JsonValueKind.Number } n => $"[{n.GetRawText()}]",
        _ => "",
    };

    /// <summary>Address → identity from every non-sensitive output shaped like nautilus_netbox.</summary>
    private static Dictionary<string, (ObjectKind Kind, int Id)> IdentitiesFromOutputs(TerraformState state)
    {
        var map = new Dictionary<string, (ObjectKind, int)>(StringComparer.Ordinal);
        foreach (var (_, output) in (state.Outputs ?? new Dictionary<string, TerraformStateOutput>())
            .OrderBy(o => o.Key == TerraformOutputs.OutputName ? 0 : 1))
        {
            if (output.Sensitive || output.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var entry in output.Value.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var identity = IdentityOfKey(entry.Name) ?? IdentityOfFields(entry.Value);
                var address = ResourceAddress().IsMatch(entry.Name) ? entry.Name : Text(entry.Value, "address") ?? Text(entry.Value, "terraform_address");
                if (identity is { } id && address is not null)
                {
                    map.TryAdd(address, id);
                }
            }
        }

        return map;
    }

    private static (ObjectKind, int)? IdentityOfKey(string key)
    {
        var match = IdentityText().Match(key);
        return match.Success && match.Index == 0 && match.Length == key.Length ? Identity(match) : null;
    }

    private static (ObjectKind, int)? IdentityOfFields(JsonElement o)
    {
        var type = Text(o, "netbox_object_type") ?? Text(o, "object_type") ?? Text(o, "type");
        var id = Text(o, "netbox_id") ?? Text(o, "object_id") ?? Text(o, "id");
        return type is "virtualization.virtualmachine" or "dcim.device" && int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? (type == "dcim.device" ? ObjectKind.Device : ObjectKind.VirtualMachine, n)
            : null;
    }

    private static (ObjectKind Kind, int Id)? IdentityFromAttributes(JsonElement attributes)
    {
        if (attributes.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var name in IdentityMaps)
        {
            if (attributes.TryGetProperty(name, out var map) && map.ValueKind == JsonValueKind.Object)
            {
                // terraform_data keeps its input under {"value": …, "type": …}.
                var inner = map.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Object ? value : map;
                if (IdentityOfFields(inner) is { } id)
                {
                    return id;
                }

                foreach (var p in inner.EnumerateObject())
                {
                    if (p.Name.EndsWith("netbox", StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind == JsonValueKind.String
                        && IdentityText().Match(p.Value.GetString()!) is { Success: true } m)
                    {
                        return Identity(m);
                    }
                }
            }
        }

        foreach (var name in new[] { "annotation", "description", "notes", "comment" })
        {
            if (Text(attributes, name) is { } text && IdentityText().Match(text) is { Success: true } match)
            {
                return Identity(match);
            }
        }

        return null;
    }

    private static (ObjectKind, int) Identity(Match match) =>
        (match.Groups["type"].Value == "dcim.device" ? ObjectKind.Device : ObjectKind.VirtualMachine,
            int.Parse(match.Groups["id"].Value, CultureInfo.InvariantCulture));

    /// <summary>
    /// Name and sizes by provider schema, for the VM resource types the templates write: vsphere_virtual_machine has
    /// num_cpus, memory (MB) and disk blocks (GB); aws_instance a root_block_device (GB) and its NetBox name in tag Name;
    /// azurerm_*_virtual_machine an os_disk (GB) and its NetBox name in tag netbox_name (its own name is a DNS label).
    /// Other resources are read by common names, in NetBox's units.
    /// </summary>
    private static StateObject Describe(string type, JsonElement a, ObjectKind kind, int id, string stateName, string address)
    {
        var tags = a.ValueKind == JsonValueKind.Object && a.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Object ? t : default;
        switch (type)
        {
            case "vsphere_virtual_machine":
                long? disk = null;
                if (a.ValueKind == JsonValueKind.Object && a.TryGetProperty("disk", out var disks) && disks.ValueKind == JsonValueKind.Array)
                {
                    disk = disks.EnumerateArray().Sum(d => (long?)Number(d, "size") ?? 0);
                }

                return new StateObject(kind, id, stateName, address, Text(a, "name"), Number(a, "num_cpus"), (long?)Number(a, "memory"), disk,
                    InProviderUnits: true);
            case "aws_instance":
                return new StateObject(kind, id, stateName, address, Text(tags, "Name"), null, null,
                    (long?)Number(FirstBlock(a, "root_block_device"), "volume_size"), InProviderUnits: true);
            case "azurerm_linux_virtual_machine" or "azurerm_windows_virtual_machine":
                return new StateObject(kind, id, stateName, address, Text(tags, "netbox_name") ?? Text(a, "name"), null, null,
                    (long?)Number(FirstBlock(a, "os_disk"), "disk_size_gb"), InProviderUnits: true);
        }

        var input = a.ValueKind == JsonValueKind.Object && a.TryGetProperty("input", out var i) && i.ValueKind == JsonValueKind.Object
            && i.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.Object ? v : a;
        return new StateObject(
            kind,
            id,
            stateName,
            address,
            Text(input, "name") ?? Text(tags, "Name"),
            Number(input, "vcpus") ?? Number(input, "num_cpus") ?? Number(input, "cpu_count"),
            (long?)(Number(input, "memory_mb") ?? Number(input, "memory")),
            (long?)(Number(input, "disk_mb") ?? Number(input, "disk_size_mb") ?? Number(input, "disk")),
            InProviderUnits: false);
    }

    /// <summary>A nested block is a list in the state; the templates write one.</summary>
    private static JsonElement FirstBlock(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var blocks) && blocks.ValueKind == JsonValueKind.Array
            && blocks.GetArrayLength() > 0 ? blocks[0] : default;

    private static string? Text(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString() is { Length: > 0 } s ? s : null,
                JsonValueKind.Number => v.GetRawText(),
                _ => null,
            }
            : null;

    private static decimal? Number(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.Number => v.GetDecimal(),
                JsonValueKind.String when decimal.TryParse(v.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => d,
                _ => null,
            }
            : null;
}
