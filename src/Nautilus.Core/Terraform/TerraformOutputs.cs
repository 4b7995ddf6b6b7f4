using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nautilus.Core.NetBox;

namespace Nautilus.Core.Terraform;

/// <summary>
/// Reads `terraform output -json` ({"name": {"value", "type", "sensitive"}}) for the objects a wave created.
/// The generated outputs.tf publishes <see cref="OutputName"/>, mapping each resource to its NetBox identity. Its
/// entries may be keyed by "&lt;object type&gt;/&lt;id&gt;" ("virtualization.virtualmachine/12") or carry
/// object_type/object_id (or netbox_object_type/netbox_id) fields, with name and an IPv4 field (ipv4_address, ipv4,
/// default_ip_address, …). Outputs written by hand (a --templates override) are read the same way, from any output
/// of those shapes; sensitive outputs are skipped.
/// </summary>
public static partial class TerraformOutputs
{
    public const string OutputName = "nautilus_netbox";

    private static readonly string[] IpFields = ["ipv4_address", "primary_ip4", "ipv4", "default_ip_address", "private_ip", "ip_address", "ip"];

    [GeneratedRegex(@"^(?<type>virtualization\.virtualmachine|dcim\.device)[/:#](?<id>\d+)$")]
    private static partial Regex IdentityKey();

    public static IReadOnlyDictionary<(ObjectKind Kind, int Id), ObjectOutput> Parse(string json, string origin)
    {
        var found = new Dictionary<(ObjectKind, int), ObjectOutput>();
        if (string.IsNullOrWhiteSpace(json))
        {
            return found;
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw NautilusException.InvalidData($"The outputs of {origin} ('terraform output -json') are not JSON ({ex.Message}).");
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return found;
            }

            // The contract's output first; the generated modules name objects in nautilus_netbox and give their
            // addresses in primary_ip4, so what each output knows about an object is merged.
            var outputs = doc.RootElement.EnumerateObject().OrderBy(o => o.Name == OutputName ? 0 : 1).ThenBy(o => o.Name, StringComparer.Ordinal);
            foreach (var output in outputs)
            {
                if (output.Value.ValueKind != JsonValueKind.Object
                    || (output.Value.TryGetProperty("sensitive", out var sensitive) && sensitive.ValueKind == JsonValueKind.True)
                    || !output.Value.TryGetProperty("value", out var value))
                {
                    continue;
                }

                foreach (var item in Read(value))
                {
                    found[(item.Kind, item.Id)] = found.TryGetValue((item.Kind, item.Id), out var known)
                        ? known with { Name = known.Name ?? item.Name, Ipv4 = known.Ipv4 ?? item.Ipv4 }
                        : item;
                }
            }
        }

        return found;
    }

    private static IEnumerable<ObjectOutput> Read(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                var match = IdentityKey().Match(property.Name);
                if (match.Success)
                {
                    yield return Describe(
                        match.Groups["type"].Value == "dcim.device" ? ObjectKind.Device : ObjectKind.VirtualMachine,
                        int.Parse(match.Groups["id"].Value, CultureInfo.InvariantCulture),
                        property.Value);
                }
                else if (property.Value.ValueKind == JsonValueKind.Object && IdentityOf(property.Value) is { } identity)
                {
                    yield return Describe(identity.Kind, identity.Id, property.Value);
                }
            }
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && IdentityOf(item) is { } identity)
                {
                    yield return Describe(identity.Kind, identity.Id, item);
                }
            }
        }
    }

    private static (ObjectKind Kind, int Id)? IdentityOf(JsonElement o)
    {
        var type = Text(o, "netbox_object_type") ?? Text(o, "object_type") ?? Text(o, "type");
        var id = Text(o, "netbox_id") ?? Text(o, "object_id") ?? Text(o, "id");
        if (type is not ("virtualization.virtualmachine" or "dcim.device") || !int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return null;
        }

        return (type == "dcim.device" ? ObjectKind.Device : ObjectKind.VirtualMachine, n);
    }

    private static ObjectOutput Describe(ObjectKind kind, int id, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return new ObjectOutput(kind, id, null, value.GetString());
        }

        string? ip = null;
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in IpFields)
            {
                if (Text(value, field) is { Length: > 0 } found)
                {
                    ip = found;
                    break;
                }
            }
        }

        return new ObjectOutput(kind, id, value.ValueKind == JsonValueKind.Object ? Text(value, "name") : null, ip);
    }

    private static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString() is { Length: > 0 } s ? s : null,
                JsonValueKind.Number => v.GetRawText(),
                _ => null,
            }
            : null;
}
