using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nautilus.Core.Terraform;

public sealed record TerraformStateInstance(
    [property: JsonPropertyName("index_key")] JsonElement? IndexKey,
    [property: JsonPropertyName("schema_version")] int? SchemaVersion,
    [property: JsonPropertyName("attributes")] JsonElement Attributes,
    [property: JsonPropertyName("status")] string? Status = null);
