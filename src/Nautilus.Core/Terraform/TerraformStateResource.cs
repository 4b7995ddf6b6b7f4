using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nautilus.Core.Terraform;

public sealed record TerraformStateResource(
    [property: JsonPropertyName("module")] string? Module,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("provider")] string? Provider,
    [property: JsonPropertyName("instances")] IReadOnlyList<TerraformStateInstance>? Instances)
{
    /// <summary>The resource's address without instance key: module.x.type.name, or data.type.name for data sources.</summary>
    public string Address => (Module is null ? "" : Module + ".") + (Mode == "data" ? "data." : "") + Type + "." + Name;
}
