using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nautilus.Core.Terraform;

/// <summary>
/// A Terraform state file as GitLab's state API serves it (format version 4, the only one Terraform ≥ 0.12
/// and OpenTofu write). Attributes stay raw JSON: their shape is the provider's schema.
/// </summary>
public sealed record TerraformState(
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("terraform_version")] string? TerraformVersion,
    [property: JsonPropertyName("serial")] long Serial,
    [property: JsonPropertyName("lineage")] string? Lineage,
    [property: JsonPropertyName("outputs")] IReadOnlyDictionary<string, TerraformStateOutput>? Outputs,
    [property: JsonPropertyName("resources")] IReadOnlyList<TerraformStateResource>? Resources)
{
    public IReadOnlyList<TerraformStateResource> ResourceList => Resources ?? [];
}
