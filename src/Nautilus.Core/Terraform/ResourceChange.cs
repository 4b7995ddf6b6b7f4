using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nautilus.Core.Terraform;

public sealed record ResourceChange
{
    [JsonPropertyName("address")]
    public required string Address { get; init; }

    /// <summary>Set when a moved block (or a renamed count/for_each key) gave the resource a new address.</summary>
    [JsonPropertyName("previous_address")]
    public string? PreviousAddress { get; init; }

    [JsonPropertyName("module_address")]
    public string? ModuleAddress { get; init; }

    [JsonPropertyName("mode")]
    public string Mode { get; init; } = "managed";

    [JsonPropertyName("type")]
    public string Type { get; init; } = "";

    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("index")]
    public JsonElement? Index { get; init; }

    [JsonPropertyName("provider_name")]
    public string? ProviderName { get; init; }

    /// <summary>A deposed object (left over from a failed create_before_destroy), identified by this key.</summary>
    [JsonPropertyName("deposed")]
    public string? Deposed { get; init; }

    [JsonPropertyName("change")]
    public required Change Change { get; init; }

    [JsonPropertyName("action_reason")]
    public string? ActionReason { get; init; }

    public PlanAction Action => PlanActions.Classify(Change.Actions);

    public bool IsImport => Change.Importing is not null;

    public bool IsMove => PreviousAddress is not null && PreviousAddress != Address;
}
