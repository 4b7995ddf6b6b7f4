using System.Globalization;
using System.Text.Json;
using Nautilus.Core.NetBox;
using Nautilus.Core.Planning;

namespace Nautilus.Core.Rendering;

public static partial class InventoryWriter
{
    /// <summary>
    /// The inventory written as text in the exact layout YamlDotNet's emitter gives it (block style, two-space
    /// indent, sequences not indented under their key, empty collections in flow style, strings double-quoted),
    /// about ten times cheaper than driving the emitter event by event for 10,000 hosts. Strings that need any
    /// escaping or the !unsafe tag are quoted by the emitter itself (<see cref="YamlText.Scalar"/>). Returns
    /// false, having written nothing, when a key, group name or custom field shape is outside what this layout
    /// covers; the caller then uses the emitter for the whole document.
    /// </summary>
    internal static bool TryWriteDirect(
        WavePlan plan,
        List<(WaveModel Wave, ObjectModel Object)> members,
        Dictionary<(string ObjectType, int Id), PlannedObject> sources,
        TextWriter writer)
    {
        var groups = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        void Join(string group, string host)
        {
            if (!groups.TryGetValue(group, out var hosts))
            {
                groups[group] = hosts = new SortedSet<string>(StringComparer.Ordinal);
            }

            hosts.Add(host);
        }

        // First pass: everything written as a key or a plain scalar must be in the covered form, and the groups.
        foreach (var (wave, o) in members)
        {
            var source = sources[(o.ObjectType, o.Id)].Source;
            var host = o.InventoryHost;
            if (!IsSimpleKey(host))
            {
                return false;
            }

            Join(Escaping.AnsibleGroup("status_", source.StatusValue), host);
            JoinRef(o.Role, slug: true, "role_", host, Join);
            JoinRef(o.Site, slug: true, "site_", host, Join);
            JoinRef(o.Cluster, slug: false, "cluster_", host, Join);
            JoinRef(o.Platform, slug: true, "platform_", host, Join);
            JoinRef(o.Tenant, slug: true, "tenant_", host, Join);
            foreach (var tag in source.Tags)
            {
                Join(Escaping.AnsibleGroup("tag_", tag.Slug), host);
            }

            Join(wave.Group, host);
            foreach (var (key, value) in source.CustomFields ?? [])
            {
                if (!IsSimpleKey(key) || !IsCovered(value, nested: false))
                {
                    return false;
                }
            }
        }

        foreach (var group in groups.Keys)
        {
            if (!IsPlain(group))
            {
                return false;
            }
        }

        writer.Write("# " + IacGenerator.Header + "\n");
        writer.Write("all:\n");
        if (members.Count == 0)
        {
            writer.Write("  hosts: {}\n");
        }
        else
        {
            writer.Write("  hosts:\n");
        }

        foreach (var (wave, o) in members)
        {
            var source = sources[(o.ObjectType, o.Id)].Source;
            writer.Write("    \"");
            writer.Write(o.InventoryHost);
            writer.Write("\":\n");
            if (o.Ipv4Address is not null)
            {
                Str(writer, "ansible_host", o.Ipv4Address);
                Str(writer, "primary_ip4", o.Ipv4Address);
            }

            Str(writer, "netbox_object_type", o.ObjectType);
            Plain(writer, "netbox_object_id", o.Id.ToString(CultureInfo.InvariantCulture));
            Str(writer, "netbox_name", o.Name);
            Str(writer, "netbox_url", o.Url);
            Str(writer, "nautilus_work_package", plan.WorkPackage);
            Str(writer, "nautilus_wave", wave.Name);
            Str(writer, "nautilus_terraform_address", o.TerraformAddress);
            Plain(writer, "is_virtual", o.IsVirtual ? "true" : "false");
            writer.Write("      status:\n");
            writer.Write("  ");
            Str(writer, "value", source.StatusValue);
            writer.Write("  ");
            Str(writer, "label", source.Status?.Label ?? source.StatusValue);
            RefValue(writer, "role", o.Role, slug: true);
            RefValue(writer, "site", o.Site, slug: true);
            RefValue(writer, "cluster", o.Cluster, slug: false);
            RefValue(writer, "platform", o.Platform, slug: true);
            RefValue(writer, "tenant", o.Tenant, slug: true);
            if (o.DeviceType is not null)
            {
                Str(writer, "device_type", o.DeviceType);
            }

            if (source.Tags.Count == 0)
            {
                writer.Write("      tags: []\n");
            }
            else
            {
                writer.Write("      tags:\n");
                foreach (var tag in source.Tags.OrderBy(t => t.Slug, StringComparer.Ordinal))
                {
                    writer.Write("      - ");
                    Quoted(writer, tag.Slug);
                    writer.Write('\n');
                }
            }

            if (source.CustomFields is not { Count: > 0 } fields)
            {
                writer.Write("      custom_fields: {}\n");
            }
            else
            {
                writer.Write("      custom_fields:\n");
                foreach (var (key, value) in fields.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    Json(writer, "        ", key, value);
                }
            }

            if (source is VirtualMachine vm)
            {
                Plain(writer, "vcpus", vm.Vcpus?.ToString(CultureInfo.InvariantCulture) ?? "null");
                Plain(writer, "memory", vm.Memory?.ToString(CultureInfo.InvariantCulture) ?? "null");
                Plain(writer, "disk", vm.Disk?.ToString(CultureInfo.InvariantCulture) ?? "null");
            }

            if (o.Description is not null)
            {
                Str(writer, "description", o.Description);
            }

            if (o.Comments is not null)
            {
                Str(writer, "comments", o.Comments);
            }
        }

        if (groups.Count == 0)
        {
            writer.Write("  children: {}\n");
            return true;
        }

        writer.Write("  children:\n");
        foreach (var (group, hosts) in groups)
        {
            writer.Write("    ");
            writer.Write(group);
            writer.Write(":\n      hosts:\n");
            foreach (var host in hosts)
            {
                writer.Write("        \"");
                writer.Write(host);
                writer.Write("\": {}\n");
            }
        }

        return true;
    }

    private static void JoinRef(NamedRef? value, bool slug, string group, string host, Action<string, string> join)
    {
        if (value is not null)
        {
            join(Escaping.AnsibleGroup(group, slug ? value.Slug ?? value.Name : value.Name), host);
        }
    }

    private static void RefValue(TextWriter writer, string key, NamedRef? value, bool slug)
    {
        if (value is not null)
        {
            Str(writer, key, slug ? value.Slug ?? value.Name : value.Name);
        }
    }

    /// <summary>A host variable: six spaces, the plain key, then the value.</summary>
    private static void Str(TextWriter writer, string key, string? value)
    {
        writer.Write("      ");
        writer.Write(key);
        writer.Write(": ");
        if (value is null)
        {
            writer.Write("null");
        }
        else
        {
            Quoted(writer, value);
        }

        writer.Write('\n');
    }

    private static void Plain(TextWriter writer, string key, string value)
    {
        writer.Write("      ");
        writer.Write(key);
        writer.Write(": ");
        writer.Write(value);
        writer.Write('\n');
    }

    /// <summary>A custom field (or a member of one): quoted key, then a scalar, a block mapping or an indentless block sequence.</summary>
    private static void Json(TextWriter writer, string indent, string key, JsonElement value)
    {
        writer.Write(indent);
        writer.Write('"');
        writer.Write(key);
        writer.Write("\":");
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when value.EnumerateObject().Any():
                writer.Write('\n');
                foreach (var property in value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    Json(writer, indent + "  ", property.Name, property.Value);
                }

                break;
            case JsonValueKind.Object:
                writer.Write(" {}\n");
                break;
            case JsonValueKind.Array when value.GetArrayLength() > 0:
                writer.Write('\n');
                foreach (var item in value.EnumerateArray())
                {
                    writer.Write(indent);
                    writer.Write("- ");
                    Scalar(writer, item);
                    writer.Write('\n');
                }

                break;
            case JsonValueKind.Array:
                writer.Write(" []\n");
                break;
            default:
                writer.Write(' ');
                Scalar(writer, value);
                writer.Write('\n');
                break;
        }
    }

    private static void Scalar(TextWriter writer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                Quoted(writer, value.GetString()!);
                break;
            case JsonValueKind.Number:
                writer.Write(value.GetRawText());
                break;
            case JsonValueKind.True:
                writer.Write("true");
                break;
            case JsonValueKind.False:
                writer.Write("false");
                break;
            default:
                writer.Write("null");
                break;
        }
    }

    /// <summary>Double-quoted as the emitter does: printable ASCII without quotes or backslashes goes as is, anything else through the emitter.</summary>
    private static void Quoted(TextWriter writer, string value)
    {
        if (IsVerbatim(value) && !YamlText.NeedsUnsafe(value))
        {
            writer.Write('"');
            writer.Write(value);
            writer.Write('"');
        }
        else
        {
            writer.Write(YamlText.Scalar(value));
        }
    }

    private static bool IsVerbatim(string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~' or '"' or '\\')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Keys the emitter writes as `"key":` (a simple key, at most 1024 characters with its quotes; no tag).</summary>
    private static bool IsSimpleKey(string key) => key.Length <= 1000 && IsVerbatim(key) && !YamlText.NeedsUnsafe(key);

    /// <summary>Scalars the emitter leaves plain: group names and numbers as this writer produces them.</summary>
    private static bool IsPlain(string value)
    {
        if (value.Length == 0 || !(char.IsAsciiLetterOrDigit(value[0]) || value[0] == '_'
            || (value[0] == '-' && value.Length > 1 && char.IsAsciiDigit(value[1]))))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '+'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Scalars; at the top level also arrays of scalars and objects of scalars (NetBox 4.7 selections, multi-selects).</summary>
    private static bool IsCovered(JsonElement value, bool nested) => value.ValueKind switch
    {
        JsonValueKind.String or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null => true,
        JsonValueKind.Number => IsPlain(value.GetRawText()),
        JsonValueKind.Array => !nested && value.EnumerateArray().All(v => IsCovered(v, nested: true)),
        JsonValueKind.Object => !nested && value.EnumerateObject().All(p => IsSimpleKey(p.Name) && IsCovered(p.Value, nested: true)),
        _ => false,
    };
}
