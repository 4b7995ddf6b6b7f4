using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nautilus.Core.Terraform;

/// <summary>
/// The parts of `terraform show -json PLANFILE` (and OpenTofu's) that reviewers need, format versions 0.2
/// to 1.x (developer.hashicorp.com/terraform/internals/json-format). Values stay raw JSON: they are
/// provider-shaped, may hold secrets in clear text, and are only ever shown through <see cref="SensitiveValues"/>.
/// </summary>
public sealed record TerraformPlan
{
    [JsonPropertyName("format_version")]
    public string? FormatVersion { get; init; }

    [JsonPropertyName("terraform_version")]
    public string? TerraformVersion { get; init; }

    /// <summary>The plan failed part-way (Terraform ≥ 1.4 writes errored plans so they can be shown).</summary>
    [JsonPropertyName("errored")]
    public bool Errored { get; init; }

    [JsonPropertyName("applyable")]
    public bool? Applyable { get; init; }

    [JsonPropertyName("complete")]
    public bool? Complete { get; init; }

    [JsonPropertyName("variables")]
    public Dictionary<string, PlanVariable>? Variables { get; init; }

    [JsonPropertyName("resource_changes")]
    public List<ResourceChange>? ResourceChanges { get; init; }

    /// <summary>Changes made outside Terraform since the last apply, found by refresh.</summary>
    [JsonPropertyName("resource_drift")]
    public List<ResourceChange>? ResourceDrift { get; init; }

    [JsonPropertyName("output_changes")]
    public Dictionary<string, Change>? OutputChanges { get; init; }

    [JsonPropertyName("configuration")]
    public JsonElement? Configuration { get; init; }

    public IReadOnlyList<ResourceChange> Resources => ResourceChanges ?? [];

    public IReadOnlyList<ResourceChange> Drift => ResourceDrift ?? [];

    public static TerraformPlan Parse(string json, string origin) => Parse(System.Text.Encoding.UTF8.GetBytes(json), origin);

    public static TerraformPlan Parse(ReadOnlySpan<byte> json, string origin)
    {
        TerraformPlan? plan;
        try
        {
            plan = JsonSerializer.Deserialize<TerraformPlan>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw NautilusException.InvalidData(
                $"{origin} is not the JSON of a Terraform plan ({ex.Message}). Write it with 'terraform show -json plan.tfplan > {Path.GetFileName(origin)}' " +
                    $"(not 'terraform plan -json', which streams log lines).");
        }

        if (plan is null || plan.FormatVersion is null)
        {
            throw NautilusException.InvalidData(
                $"{origin} has no format_version, so it is not 'terraform show -json' output of a plan. Write it with 'terraform show -json plan.tfplan'.");
        }

        if (!plan.FormatVersion.StartsWith("0.", StringComparison.Ordinal) && !plan.FormatVersion.StartsWith("1.", StringComparison.Ordinal))
        {
            throw NautilusException.InvalidData(
                $"{origin} has plan format_version {plan.FormatVersion}; Nautilus reads 0.x and 1.x. Upgrade Nautilus or use a Terraform/OpenTofu release " +
                    $"that writes format 1.x.");
        }

        return plan;
    }

    public static TerraformPlan Load(string path, string? displayPath = null)
    {
        if (!File.Exists(path))
        {
            throw NautilusException.Usage($"Plan file {displayPath ?? path} does not exist. Produce it with 'terraform show -json plan.tfplan > plan.json'.");
        }

        // Bytes straight to the parser: a plan of thousands of resources is megabytes, not worth a UTF-16 copy.
        return Parse(File.ReadAllBytes(path), displayPath ?? path);
    }

    /// <summary>Names of variables the configuration declares sensitive (their values are in <see cref="Variables"/> in clear text).</summary>
    public IEnumerable<string> SensitiveVariableNames()
    {
        if (Configuration is { ValueKind: JsonValueKind.Object } config
            && config.TryGetProperty("root_module", out var root) && root.ValueKind == JsonValueKind.Object
            && root.TryGetProperty("variables", out var variables) && variables.ValueKind == JsonValueKind.Object)
        {
            foreach (var variable in variables.EnumerateObject())
            {
                if (variable.Value.ValueKind == JsonValueKind.Object && variable.Value.TryGetProperty("sensitive", out var s)
                    && s.ValueKind == JsonValueKind.True)
                {
                    yield return variable.Name;
                }
            }
        }
    }

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        AllowTrailingCommas = false,
        MaxDepth = 256,
    };
}
