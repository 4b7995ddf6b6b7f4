using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nautilus.Core.Terraform;

public sealed record TerraformStateOutput(
    [property: JsonPropertyName("value")] JsonElement Value,
    [property: JsonPropertyName("type")] JsonElement? Type = null,
    [property: JsonPropertyName("sensitive")] bool Sensitive = false);
