using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nautilus.Core.Terraform;

public sealed record PlanVariable([property: JsonPropertyName("value")] JsonElement? Value);
