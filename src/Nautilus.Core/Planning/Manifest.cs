using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nautilus.Core.Planning;

/// <summary>manifest.json (DESIGN section 4): the waves in execution order and each object's NetBox identity.</summary>
public sealed record Manifest(
    [property: JsonPropertyName("work_package")] string WorkPackage,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("waves")] IReadOnlyList<ManifestWave> Waves,
    [property: JsonPropertyName("warnings")] IReadOnlyList<string> Warnings)
{
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Manifest From(WavePlan plan) => new(
        plan.WorkPackage,
        plan.Source,
        plan.Waves.Select(w => new ManifestWave(
            w.Name,
            w.Key,
            w.Level,
            w.DependsOn,
            w.DependsOnWorkPackages,
            w.StateName,
            w.Objects.Select(o => new ManifestObject(o.Source.ObjectType, o.Id, o.Name, o.Sequence, o.Priority, o.Status)).ToList())).ToList(),
        plan.Warnings);

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions).ReplaceLineEndings("\n") + "\n";

    public static string PathFor(string outDir, string workPackage) => Path.Combine(outDir, ".nautilus", workPackage, "manifest.json");

    public static Manifest? TryRead(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException ex)
        {
            throw NautilusException.InvalidData($"{path} is not a Nautilus manifest ({ex.Message}). Regenerate it with 'nautilus iac generate'.");
        }
    }
}

public sealed record ManifestWave(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("level")] int Level,
    [property: JsonPropertyName("depends_on")] IReadOnlyList<string> DependsOn,
    [property: JsonPropertyName("depends_on_wp")] IReadOnlyList<string> DependsOnWorkPackages,
    [property: JsonPropertyName("state_name")] string StateName,
    [property: JsonPropertyName("objects")] IReadOnlyList<ManifestObject> Objects);

public sealed record ManifestObject(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("sequence")] int? Sequence,
    [property: JsonPropertyName("priority")] string? Priority,
    [property: JsonPropertyName("status")] string Status);
