using System.Text.Json;

namespace Nautilus.Core.Terraform;

/// <summary>
/// Terraform's JSON plan carries sensitive values in clear text and marks them only in separate masks
/// (before_sensitive, after_sensitive, output sensitivity, sensitive variables; see the sensitive-values
/// fixture and hashicorp/terraform#20051). Everything shown to reviewers goes through here.
/// </summary>
public static class SensitiveValues
{
    public const string Masked = "(sensitive value)";
    public const string KnownAfterApply = "(known after apply)";

    /// <summary>
    /// Every string at a sensitive position anywhere in the plan, so it can be registered with the redactor:
    /// a value Terraform marks sensitive in one place is then masked wherever else it appears in the body.
    /// </summary>
    public static IEnumerable<string> Collect(TerraformPlan plan)
    {
        var found = new List<string>();
        foreach (var change in plan.Resources.Concat(plan.Drift).Select(r => r.Change).Concat(plan.OutputChanges?.Values.AsEnumerable() ?? []))
        {
            CollectMasked(change.Before, change.BeforeSensitive, false, found);
            CollectMasked(change.After, change.AfterSensitive, false, found);
        }

        var sensitiveVariables = plan.SensitiveVariableNames().ToHashSet(StringComparer.Ordinal);
        foreach (var (name, variable) in plan.Variables ?? new Dictionary<string, PlanVariable>())
        {
            if (sensitiveVariables.Contains(name) && variable.Value is { } value)
            {
                CollectMasked(value, null, true, found);
            }
        }

        return found.Distinct(StringComparer.Ordinal);
    }

    private static void CollectMasked(JsonElement? value, JsonElement? mask, bool sensitive, List<string> found)
    {
        if (value is not { } v)
        {
            return;
        }

        var here = sensitive || mask is { ValueKind: JsonValueKind.True };
        switch (v.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in v.EnumerateObject())
                {
                    CollectMasked(property.Value, Child(mask, property.Name), here, found);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in v.EnumerateArray())
                {
                    CollectMasked(item, Child(mask, i++), here, found);
                }

                break;
            case JsonValueKind.String when here:
                found.Add(v.GetString()!);
                break;
            case JsonValueKind.Number when here:
                found.Add(v.GetRawText());
                break;
        }
    }

    public static JsonElement? Child(JsonElement? mask, string property) =>
        mask is { ValueKind: JsonValueKind.Object } m && m.TryGetProperty(property, out var child) ? child
        : mask is { ValueKind: JsonValueKind.True } ? mask
        : null;

    public static JsonElement? Child(JsonElement? mask, int index) =>
        mask is { ValueKind: JsonValueKind.Array } m && index < m.GetArrayLength() ? m[index]
        : mask is { ValueKind: JsonValueKind.True } ? mask
        : null;

    /// <summary>True when the mask marks this value or anything inside it.</summary>
    public static bool AnyTrue(JsonElement? mask) => mask switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.Object } m => m.EnumerateObject().Any(p => AnyTrue(p.Value)),
        { ValueKind: JsonValueKind.Array } m => m.EnumerateArray().Any(e => AnyTrue(e)),
        _ => false,
    };

    /// <summary>
    /// The top-level attributes an update or replace changes, with displayable before/after values: sensitive
    /// ones masked (the change itself is still listed), unknown ones as "(known after apply)".
    /// </summary>
    public static IReadOnlyList<AttributeChange> ChangedAttributes(Change change, Func<string, string> redact, int maxValueLength = 120)
    {
        var before = change.Before is { ValueKind: JsonValueKind.Object } b ? b : (JsonElement?)null;
        var after = change.After is { ValueKind: JsonValueKind.Object } a ? a : (JsonElement?)null;
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var source in new[] { before, after, change.AfterUnknown is { ValueKind: JsonValueKind.Object } u ? u : null })
        {
            if (source is { } s)
            {
                foreach (var p in s.EnumerateObject())
                {
                    names.Add(p.Name);
                }
            }
        }

        var forcing = ReplaceRoots(change.ReplacePaths);
        var result = new List<AttributeChange>();
        foreach (var name in names)
        {
            var oldValue = Property(before, name);
            var newValue = Property(after, name);
            var unknown = AnyTrue(Child(change.AfterUnknown, name));
            if (!unknown && JsonEquals(oldValue, newValue))
            {
                continue;
            }

            var sensitive = AnyTrue(Child(change.BeforeSensitive, name)) || AnyTrue(Child(change.AfterSensitive, name));
            result.Add(new AttributeChange(
                name,
                sensitive ? Masked : Display(oldValue, redact, maxValueLength),
                unknown ? KnownAfterApply : sensitive ? Masked : Display(newValue, redact, maxValueLength),
                forcing.Contains(name),
                sensitive));
        }

        return result;
    }

    /// <summary>A value as a reviewer reads it: JSON, redacted, cut to a length (after redaction, so no secret is cut in half and missed).</summary>
    public static string Display(JsonElement? value, Func<string, string> redact, int maxLength)
    {
        if (value is not { } v || v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return "null";
        }

        var text = redact(v.GetRawText().Length > 4 * maxLength && v.ValueKind is JsonValueKind.Object or JsonValueKind.Array
            ? v.ValueKind == JsonValueKind.Object ? $"{{…{v.EnumerateObject().Count()} keys…}}" : $"[…{v.GetArrayLength()} items…]"
            : JsonSerializer.Serialize(v, CompactJson));
        return text.Length > maxLength ? text[..maxLength] + "…" : text;
    }

    /// <summary>
    /// A value whose parts are known only after apply, shown with those parts spelled out: Terraform writes
    /// null (list element) or omits the key (object) where after_unknown says true.
    /// </summary>
    public static string DisplayWithUnknowns(JsonElement? value, JsonElement? unknown, Func<string, string> redact, int maxLength)
    {
        if (!AnyTrue(unknown))
        {
            return Display(value, redact, maxLength);
        }

        var merged = Merge(value, unknown);
        var text = redact(merged?.ToJsonString(CompactJson) ?? "null");
        return text.Length > maxLength ? text[..maxLength] + "…" : text;
    }

    private static System.Text.Json.Nodes.JsonNode? Merge(JsonElement? value, JsonElement? unknown)
    {
        if (unknown is { ValueKind: JsonValueKind.True })
        {
            return System.Text.Json.Nodes.JsonValue.Create(KnownAfterApply);
        }

        switch (unknown)
        {
            case { ValueKind: JsonValueKind.Object } u:
                var obj = value is { ValueKind: JsonValueKind.Object } v ? System.Text.Json.Nodes.JsonObject.Create(v)!.DeepClone().AsObject()
                    : new System.Text.Json.Nodes.JsonObject();
                foreach (var p in u.EnumerateObject())
                {
                    if (AnyTrue(p.Value))
                    {
                        obj[p.Name] = Merge(value is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(p.Name, out var child) ? child : null, p.Value);
                    }
                }

                return obj;
            case { ValueKind: JsonValueKind.Array } u:
                var items = value is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray().ToList() : [];
                var array = new System.Text.Json.Nodes.JsonArray();
                for (var i = 0; i < Math.Max(items.Count, u.GetArrayLength()); i++)
                {
                    var mask = i < u.GetArrayLength() ? u[i] : (JsonElement?)null;
                    var item = i < items.Count ? items[i] : (JsonElement?)null;
                    array.Add(AnyTrue(mask) ? Merge(item, mask) : item is { } e ? System.Text.Json.Nodes.JsonNode.Parse(e.GetRawText()) : null);
                }

                return array;
            default:
                return value is { } plain ? System.Text.Json.Nodes.JsonNode.Parse(plain.GetRawText()) : null;
        }
    }

    private static readonly JsonSerializerOptions CompactJson = new()
    {
        WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static JsonElement? Property(JsonElement? obj, string name) =>
        obj is { } o && o.TryGetProperty(name, out var value) ? value : null;

    private static HashSet<string> ReplaceRoots(JsonElement? paths)
    {
        var roots = new HashSet<string>(StringComparer.Ordinal);
        if (paths is { ValueKind: JsonValueKind.Array } list)
        {
            foreach (var path in list.EnumerateArray())
            {
                if (path.ValueKind == JsonValueKind.Array && path.GetArrayLength() > 0 && path[0].ValueKind == JsonValueKind.String)
                {
                    roots.Add(path[0].GetString()!);
                }
            }
        }

        return roots;
    }

    private static bool JsonEquals(JsonElement? a, JsonElement? b)
    {
        var nullA = a is null || a.Value.ValueKind == JsonValueKind.Null;
        var nullB = b is null || b.Value.ValueKind == JsonValueKind.Null;
        if (nullA || nullB)
        {
            return nullA == nullB;
        }

        return JsonElement.DeepEquals(a!.Value, b!.Value);
    }
}
