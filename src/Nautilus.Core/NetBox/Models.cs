using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nautilus.Core.NetBox;

// NetBox REST shapes (4.x, with the 3.x differences that matter). Most relations are nullable
// (docs/design.md §2); unknown fields are kept in Extra so an export round-trips what NetBox sent.

public sealed record Page<T>(
    [property: JsonPropertyName("count")] int? Count,
    [property: JsonPropertyName("next")] string? Next,
    [property: JsonPropertyName("previous")] string? Previous,
    [property: JsonPropertyName("results")] List<T> Results);

public sealed record ChoiceValue(
    [property: JsonPropertyName("value")] JsonElement Value,
    [property: JsonPropertyName("label")] string? Label)
{
    /// <summary>The value as text: "planned"; NetBox 2.x used numbers (status 1).</summary>
    [JsonIgnore]
    public string Text => Value.ValueKind == JsonValueKind.String ? Value.GetString() ?? "" : Value.ToString();
}

/// <summary>A nested related object (role, site, cluster, platform, tenant, device type, rack, …).</summary>
public sealed record NestedRef
{
    [JsonPropertyName("id")] public int Id { get; init; }
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("display")] public string? Display { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("slug")] public string? Slug { get; init; }
    [JsonPropertyName("model")] public string? Model { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }

    [JsonIgnore] public string Label => Name ?? Model ?? Display ?? Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public sealed record NestedIp
{
    [JsonPropertyName("id")] public int Id { get; init; }
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("display")] public string? Display { get; init; }
    [JsonPropertyName("address")] public string? Address { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record NestedTag
{
    [JsonPropertyName("id")] public int Id { get; init; }
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("display")] public string? Display { get; init; }
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("slug")] public string Slug { get; init; } = "";
    [JsonPropertyName("color")] public string? Color { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record Tag
{
    [JsonPropertyName("id")] public int Id { get; init; }
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("display")] public string? Display { get; init; }
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("slug")] public string Slug { get; init; } = "";
    [JsonPropertyName("color")] public string? Color { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}

/// <summary>Fields shared by virtual machines and devices; the planner and templates see objects through this.</summary>
public abstract record NetBoxObject
{
    [JsonPropertyName("id")] public int Id { get; init; }
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("display_url")] public string? DisplayUrl { get; init; }
    [JsonPropertyName("display")] public string? Display { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("status")] public ChoiceValue? Status { get; init; }
    [JsonPropertyName("role")] public NestedRef? Role { get; init; }
    [JsonPropertyName("site")] public NestedRef? Site { get; init; }
    [JsonPropertyName("tenant")] public NestedRef? Tenant { get; init; }
    [JsonPropertyName("platform")] public NestedRef? Platform { get; init; }
    [JsonPropertyName("cluster")] public NestedRef? Cluster { get; init; }
    [JsonPropertyName("primary_ip4")] public NestedIp? PrimaryIp4 { get; init; }
    [JsonPropertyName("primary_ip6")] public NestedIp? PrimaryIp6 { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("comments")] public string? Comments { get; init; }
    [JsonPropertyName("tags")] public List<NestedTag> Tags { get; init; } = [];
    [JsonPropertyName("custom_fields")] public Dictionary<string, JsonElement>? CustomFields { get; init; }
    [JsonPropertyName("last_updated")] public string? LastUpdated { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }

    [JsonIgnore] public abstract ObjectKind Kind { get; }

    /// <summary>NetBox's content type ("virtualization.virtualmachine" / "dcim.device"), as journal entries and the manifest name it.</summary>
    [JsonIgnore] public string ObjectType => Kind.ContentType();

    /// <summary>A device may be unnamed in NetBox; the planner names it by kind and id then.</summary>
    [JsonIgnore] public string DisplayName => string.IsNullOrEmpty(Name) ? $"{Kind.Noun()}-{Id}" : Name;

    [JsonIgnore] public string StatusValue => Status?.Text ?? "";

    public bool HasTag(string name) =>
        Tags.Exists(t => t.Name == name || t.Slug == global::Nautilus.Core.Tags.SlugOf(name));

    /// <summary>
    /// A custom field as text. NetBox 4.7 returns select values as {"value","label"} (4.6: the raw string),
    /// so both shapes read the same.
    /// </summary>
    public string? CustomText(string field)
    {
        if (CustomFields is null || !CustomFields.TryGetValue(field, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s : null,
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Object when value.TryGetProperty("value", out var inner) =>
                inner.ValueKind == JsonValueKind.String ? inner.GetString() : inner.GetRawText(),
            _ => null,
        };
    }
}

public sealed record VirtualMachine : NetBoxObject
{
    [JsonPropertyName("vcpus")] public decimal? Vcpus { get; init; }

    /// <summary>MB.</summary>
    [JsonPropertyName("memory")] public long? Memory { get; init; }

    /// <summary>MB since NetBox 4.1 (GB before); see <see cref="NetBoxSnapshot.DiskIsGigabytes"/>.</summary>
    [JsonPropertyName("disk")] public long? Disk { get; init; }

    [JsonIgnore] public override ObjectKind Kind => ObjectKind.VirtualMachine;
}

public sealed record Device : NetBoxObject
{
    [JsonPropertyName("device_type")] public NestedRef? DeviceType { get; init; }

    /// <summary>NetBox 3.x name of <see cref="NetBoxObject.Role"/> (renamed in 3.6, removed in 4.0).</summary>
    [JsonPropertyName("device_role")] public NestedRef? DeviceRole { get; init; }

    [JsonPropertyName("rack")] public NestedRef? Rack { get; init; }
    [JsonPropertyName("serial")] public string? Serial { get; init; }

    [JsonIgnore] public NestedRef? EffectiveRole => Role ?? DeviceRole;

    [JsonIgnore] public override ObjectKind Kind => ObjectKind.Device;
}

public enum ObjectKind
{
    VirtualMachine,
    Device,
}

public static class ObjectKindExtensions
{
    public static string ContentType(this ObjectKind kind) => kind switch
    {
        ObjectKind.VirtualMachine => "virtualization.virtualmachine",
        _ => "dcim.device",
    };

    /// <summary>The kind a content type names ("dcim.device"; anything else is a virtual machine, as the manifest writes only these two).</summary>
    public static ObjectKind OfContentType(string contentType) => contentType == "dcim.device" ? ObjectKind.Device : ObjectKind.VirtualMachine;

    public static string Noun(this ObjectKind kind) => kind == ObjectKind.VirtualMachine ? "vm" : "device";

    /// <summary>The UI path of an object under the NetBox base URL.</summary>
    public static string UiPath(this ObjectKind kind) =>
        kind == ObjectKind.VirtualMachine ? "virtualization/virtual-machines" : "dcim/devices";
}

public sealed record CustomField
{
    [JsonPropertyName("id")] public int Id { get; init; }
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("object_types")] public List<string>? ObjectTypes { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record JournalEntry
{
    [JsonPropertyName("id")] public int Id { get; init; }
    [JsonPropertyName("assigned_object_type")] public string AssignedObjectType { get; init; } = "";
    [JsonPropertyName("assigned_object_id")] public int AssignedObjectId { get; init; }
    [JsonPropertyName("kind")] public JsonElement Kind { get; init; }
    [JsonPropertyName("comments")] public string Comments { get; init; } = "";
}

public sealed record NewJournalEntry(
    [property: JsonPropertyName("assigned_object_type")] string AssignedObjectType,
    [property: JsonPropertyName("assigned_object_id")] int AssignedObjectId,
    [property: JsonPropertyName("comments")] string Comments,
    [property: JsonPropertyName("kind")] string Kind = "info");

public sealed record IpAddress
{
    [JsonPropertyName("id")] public int Id { get; init; }
    [JsonPropertyName("address")] public string Address { get; init; } = "";
    [JsonPropertyName("assigned_object_type")] public string? AssignedObjectType { get; init; }
    [JsonPropertyName("assigned_object_id")] public int? AssignedObjectId { get; init; }
    [JsonPropertyName("vrf")] public NestedRef? Vrf { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}

/// <summary>A VM interface (virtualization.vminterface) or a device interface (dcim.interface).</summary>
public sealed record NetBoxInterface
{
    [JsonPropertyName("id")] public int Id { get; init; }
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("virtual_machine")] public NestedRef? VirtualMachine { get; init; }
    [JsonPropertyName("device")] public NestedRef? Device { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }

    /// <summary>The VM or device the interface belongs to.</summary>
    [JsonIgnore] public int? OwnerId => VirtualMachine?.Id ?? Device?.Id;
}

public sealed record NetBoxStatus
{
    [JsonPropertyName("netbox-version")] public string? NetBoxVersion { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}
