using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nautilus.Core.Terraform;

/// <summary>A change to a resource or an output: actions and the before/after values with their masks.</summary>
public sealed record Change
{
    [JsonPropertyName("actions")]
    public List<string> Actions { get; init; } = [];

    [JsonPropertyName("before")]
    public JsonElement? Before { get; init; }

    [JsonPropertyName("after")]
    public JsonElement? After { get; init; }

    /// <summary>true, or an object/array mirroring <see cref="After"/> with true where the value is known only after apply.</summary>
    [JsonPropertyName("after_unknown")]
    public JsonElement? AfterUnknown { get; init; }

    /// <summary>true, or an object/array mirroring <see cref="Before"/> with true where the value is sensitive.</summary>
    [JsonPropertyName("before_sensitive")]
    public JsonElement? BeforeSensitive { get; init; }

    [JsonPropertyName("after_sensitive")]
    public JsonElement? AfterSensitive { get; init; }

    [JsonPropertyName("replace_paths")]
    public JsonElement? ReplacePaths { get; init; }

    /// <summary>Present when the resource is imported by this plan (import blocks, Terraform ≥ 1.5).</summary>
    [JsonPropertyName("importing")]
    public JsonElement? Importing { get; init; }

    [JsonPropertyName("generated_config")]
    public string? GeneratedConfig { get; init; }

    public PlanAction Action => PlanActions.Classify(Actions);
}
