using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nautilus.Core.NetBox;

/// <summary>
/// Reads a VM or device with only the fields Nautilus uses: unknown fields are skipped instead of kept as
/// extension data, and nested objects that repeat across objects (roles, sites, clusters, tags, status
/// choices, small custom field values) are shared instead of copied, so 10,000 VMs cost a few megabytes.
/// Export files and list pages both go through it (see <see cref="NetBoxSnapshot.LeanJsonOptions"/>);
/// only `netbox export` keeps every field, to write back what NetBox sent.
/// </summary>
/// <remarks>
/// Objects are immutable records, so sharing equal instances is safe. The shared tables are bounded:
/// past <see cref="MaxShared"/> entries, new values are simply not shared.
/// </remarks>
internal sealed class LeanObjectConverter<T> : JsonConverter<T>
    where T : NetBoxObject
{
    private const int MaxShared = 8192;

    private static readonly ConcurrentDictionary<NestedRef, NestedRef> Refs = new();
    private static readonly ConcurrentDictionary<NestedTag, NestedTag> TagRefs = new();
    private static readonly ConcurrentDictionary<ChoiceValue, ChoiceValue> Choices = new();
    private static readonly ConcurrentDictionary<string, JsonElement> Scalars = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        int id = 0;
        string? url = null, displayUrl = null, display = null, name = null, description = null, comments = null, lastUpdated = null, serial = null;
        ChoiceValue? status = null;
        NestedRef? role = null, site = null, tenant = null, platform = null, cluster = null, deviceType = null, deviceRole = null, rack = null;
        NestedIp? ip4 = null, ip6 = null;
        List<NestedTag> tags = [];
        Dictionary<string, JsonElement>? customFields = null;
        decimal? vcpus = null;
        long? memory = null, disk = null;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = Property(ref reader);
            reader.Read();
            switch (property)
            {
                case Field.Id: id = Int32(ref reader); break;
                case Field.Url: url = String(ref reader); break;
                case Field.DisplayUrl: displayUrl = String(ref reader); break;
                case Field.Display: display = String(ref reader); break;
                case Field.Name: name = String(ref reader); break;
                case Field.Description: description = String(ref reader); break;
                case Field.Comments: comments = String(ref reader); break;
                case Field.LastUpdated: lastUpdated = String(ref reader); break;
                case Field.Serial: serial = String(ref reader); break;
                case Field.Status: status = Choice(ref reader); break;
                case Field.Role: role = Ref(ref reader); break;
                case Field.Site: site = Ref(ref reader); break;
                case Field.Tenant: tenant = Ref(ref reader); break;
                case Field.Platform: platform = Ref(ref reader); break;
                case Field.Cluster: cluster = Ref(ref reader); break;
                case Field.DeviceType: deviceType = Ref(ref reader); break;
                case Field.DeviceRole: deviceRole = Ref(ref reader); break;
                case Field.Rack: rack = Ref(ref reader); break;
                case Field.PrimaryIp4: ip4 = Ip(ref reader); break;
                case Field.PrimaryIp6: ip6 = Ip(ref reader); break;
                case Field.Tags: tags = TagList(ref reader); break;
                case Field.CustomFields: customFields = CustomFields(ref reader); break;
                case Field.Vcpus: vcpus = Decimal(ref reader); break;
                case Field.Memory: memory = Int64(ref reader); break;
                case Field.Disk: disk = Int64(ref reader); break;
                default: Skip(ref reader); break;
            }
        }

        Expect(ref reader, JsonTokenType.EndObject);
        NetBoxObject result = typeof(T) == typeof(Device)
            ? new Device
            {
                Id = id, Url = url, DisplayUrl = displayUrl, Display = display, Name = name, Status = status, Role = role, Site = site, Tenant = tenant,
                Platform = platform, Cluster = cluster, PrimaryIp4 = ip4, PrimaryIp6 = ip6, Description = description, Comments = comments, Tags = tags,
                CustomFields = customFields, LastUpdated = lastUpdated, DeviceType = deviceType, DeviceRole = deviceRole, Rack = rack, Serial = serial,
            }
            : new VirtualMachine
            {
                Id = id, Url = url, DisplayUrl = displayUrl, Display = display, Name = name, Status = status, Role = role, Site = site, Tenant = tenant,
                Platform = platform, Cluster = cluster, PrimaryIp4 = ip4, PrimaryIp6 = ip6, Description = description, Comments = comments, Tags = tags,
                CustomFields = customFields, LastUpdated = lastUpdated, Vcpus = vcpus, Memory = memory, Disk = disk,
            };
        return (T)result;
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        throw new NotSupportedException("The lean reader only reads; export writes with NetBoxSnapshot.JsonOptions.");

    private enum Field
    {
        Other, Id, Url, DisplayUrl, Display, Name, Description, Comments, LastUpdated, Serial, Status, Role, Site, Tenant, Platform, Cluster,
        DeviceType, DeviceRole, Rack, PrimaryIp4, PrimaryIp6, Tags, CustomFields, Vcpus, Memory, Disk, Slug, Model, Address, Color, Value, Label,
    }

    private static Field Property(ref Utf8JsonReader reader)
    {
        if (reader.HasValueSequence || reader.ValueIsEscaped)
        {
            return FieldOf(Encoding.UTF8.GetBytes(reader.GetString()!));
        }

        return FieldOf(reader.ValueSpan);
    }

    private static Field FieldOf(ReadOnlySpan<byte> name) => name switch
    {
        _ when name.SequenceEqual("id"u8) => Field.Id,
        _ when name.SequenceEqual("url"u8) => Field.Url,
        _ when name.SequenceEqual("display_url"u8) => Field.DisplayUrl,
        _ when name.SequenceEqual("display"u8) => Field.Display,
        _ when name.SequenceEqual("name"u8) => Field.Name,
        _ when name.SequenceEqual("description"u8) => Field.Description,
        _ when name.SequenceEqual("comments"u8) => Field.Comments,
        _ when name.SequenceEqual("last_updated"u8) => Field.LastUpdated,
        _ when name.SequenceEqual("serial"u8) => Field.Serial,
        _ when name.SequenceEqual("status"u8) => Field.Status,
        _ when name.SequenceEqual("role"u8) => Field.Role,
        _ when name.SequenceEqual("site"u8) => Field.Site,
        _ when name.SequenceEqual("tenant"u8) => Field.Tenant,
        _ when name.SequenceEqual("platform"u8) => Field.Platform,
        _ when name.SequenceEqual("cluster"u8) => Field.Cluster,
        _ when name.SequenceEqual("device_type"u8) => Field.DeviceType,
        _ when name.SequenceEqual("device_role"u8) => Field.DeviceRole,
        _ when name.SequenceEqual("rack"u8) => Field.Rack,
        _ when name.SequenceEqual("primary_ip4"u8) => Field.PrimaryIp4,
        _ when name.SequenceEqual("primary_ip6"u8) => Field.PrimaryIp6,
        _ when name.SequenceEqual("tags"u8) => Field.Tags,
        _ when name.SequenceEqual("custom_fields"u8) => Field.CustomFields,
        _ when name.SequenceEqual("vcpus"u8) => Field.Vcpus,
        _ when name.SequenceEqual("memory"u8) => Field.Memory,
        _ when name.SequenceEqual("disk"u8) => Field.Disk,
        _ when name.SequenceEqual("slug"u8) => Field.Slug,
        _ when name.SequenceEqual("model"u8) => Field.Model,
        _ when name.SequenceEqual("address"u8) => Field.Address,
        _ when name.SequenceEqual("color"u8) => Field.Color,
        _ when name.SequenceEqual("value"u8) => Field.Value,
        _ when name.SequenceEqual("label"u8) => Field.Label,
        _ => Field.Other,
    };

    private static NestedRef? Ref(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartObject);
        int id = 0;
        string? url = null, display = null, name = null, slug = null, model = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = Property(ref reader);
            reader.Read();
            switch (property)
            {
                case Field.Id: id = Int32(ref reader); break;
                case Field.Url: url = String(ref reader); break;
                case Field.Display: display = String(ref reader); break;
                case Field.Name: name = String(ref reader); break;
                case Field.Slug: slug = String(ref reader); break;
                case Field.Model: model = String(ref reader); break;
                default: Skip(ref reader); break;
            }
        }

        Expect(ref reader, JsonTokenType.EndObject);
        return Share(Refs, new NestedRef { Id = id, Url = url, Display = display, Name = name, Slug = slug, Model = model });
    }

    private static NestedIp? Ip(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartObject);
        int id = 0;
        string? url = null, display = null, address = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = Property(ref reader);
            reader.Read();
            switch (property)
            {
                case Field.Id: id = Int32(ref reader); break;
                case Field.Url: url = String(ref reader); break;
                case Field.Display: display = String(ref reader); break;
                case Field.Address: address = String(ref reader); break;
                default: Skip(ref reader); break;
            }
        }

        Expect(ref reader, JsonTokenType.EndObject);
        return new NestedIp { Id = id, Url = url, Display = display, Address = address };
    }

    private static List<NestedTag> TagList(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return [];
        }

        Expect(ref reader, JsonTokenType.StartArray);
        var tags = new List<NestedTag>(4);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            Expect(ref reader, JsonTokenType.StartObject);
            int id = 0;
            string? url = null, display = null, name = null, slug = null, color = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var property = Property(ref reader);
                reader.Read();
                switch (property)
                {
                    case Field.Id: id = Int32(ref reader); break;
                    case Field.Url: url = String(ref reader); break;
                    case Field.Display: display = String(ref reader); break;
                    case Field.Name: name = String(ref reader); break;
                    case Field.Slug: slug = String(ref reader); break;
                    case Field.Color: color = String(ref reader); break;
                    default: Skip(ref reader); break;
                }
            }

            Expect(ref reader, JsonTokenType.EndObject);
            tags.Add(Share(TagRefs, new NestedTag { Id = id, Url = url, Display = display, Name = name ?? "", Slug = slug ?? "", Color = color }));
        }

        tags.TrimExcess();
        return tags;
    }

    private static ChoiceValue? Choice(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartObject);
        JsonElement value = default;
        string? label = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = Property(ref reader);
            reader.Read();
            switch (property)
            {
                case Field.Value: value = Element(ref reader); break;
                case Field.Label: label = String(ref reader); break;
                default: Skip(ref reader); break;
            }
        }

        Expect(ref reader, JsonTokenType.EndObject);

        // Scalar values come from the shared table, so equal choices are equal records.
        return Share(Choices, new ChoiceValue(value, label));
    }

    private static Dictionary<string, JsonElement>? CustomFields(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartObject);
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = SharedName(reader.GetString()!);
            reader.Read();
            fields[key] = Element(ref reader);
        }

        Expect(ref reader, JsonTokenType.EndObject);
        return fields;
    }

    /// <summary>A custom field value; small scalars (numbers, short strings, booleans, null) are shared by their raw JSON.</summary>
    private static JsonElement Element(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray || reader.HasValueSequence || reader.ValueSpan.Length > 64)
        {
            return JsonElement.ParseValue(ref reader);
        }

        Span<char> chars = stackalloc char[65];
        chars[0] = (char)('0' + (int)reader.TokenType);
        var length = Encoding.UTF8.GetChars(reader.ValueSpan, chars[1..]);
        var key = new string(chars[..(length + 1)]);
        if (Scalars.TryGetValue(key, out var known))
        {
            return known;
        }

        var element = JsonElement.ParseValue(ref reader);
        if (Scalars.Count < MaxShared)
        {
            Scalars.TryAdd(key, element);
        }

        return element;
    }

    private static string SharedName(string name)
    {
        if (Names.TryGetValue(name, out var known))
        {
            return known;
        }

        if (Names.Count < MaxShared)
        {
            Names.TryAdd(name, name);
        }

        return name;
    }

    private static TValue Share<TValue>(ConcurrentDictionary<TValue, TValue> table, TValue value)
        where TValue : notnull
    {
        if (table.TryGetValue(value, out var known))
        {
            return known;
        }

        return table.Count < MaxShared ? table.GetOrAdd(value, value) : value;
    }

    private static string? String(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        _ => throw new JsonException(),
    };

    private static int Int32(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n))
        {
            return n;
        }

        if (reader.TokenType == JsonTokenType.String && int.TryParse(reader.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n))
        {
            return n;
        }

        throw new JsonException();
    }

    private static long? Int64(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var n))
        {
            return n;
        }

        if (reader.TokenType == JsonTokenType.String && long.TryParse(reader.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n))
        {
            return n;
        }

        throw new JsonException();
    }

    private static decimal? Decimal(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var n))
        {
            return n;
        }

        if (reader.TokenType == JsonTokenType.String && decimal.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out n))
        {
            return n;
        }

        throw new JsonException();
    }

    /// <summary>The serializer hands a converter its whole value, but on a partial buffer; Skip would refuse that.</summary>
    private static void Skip(ref Utf8JsonReader reader)
    {
        if (!reader.TrySkip())
        {
            throw new JsonException();
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException();
        }
    }
}
