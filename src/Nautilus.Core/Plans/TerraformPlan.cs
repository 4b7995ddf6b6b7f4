using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nautilus.Core.Plans;

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

    public static TerraformPlan Parse(string json, string origin)
    {
        TerraformPlan? plan;
        try
        {
            plan = JsonSerializer.Deserialize<TerraformPlan>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw NautilusException.InvalidData(
                $"{origin} is not the JSON of a Terraform plan ({ex.Message}). Write it with 'terraform show -json plan.tfplan > {Path.GetFileName(origin)}' (not 'terraform plan -json', which streams log lines).");
        }

        if (plan is null || plan.FormatVersion is null)
        {
            throw NautilusException.InvalidData(
                $"{origin} has no format_version, so it is not 'terraform show -json' output of a plan. Write it with 'terraform show -json plan.tfplan'.");
        }

        if (!plan.FormatVersion.StartsWith("0.", StringComparison.Ordinal) && !plan.FormatVersion.StartsWith("1.", StringComparison.Ordinal))
        {
            throw NautilusException.InvalidData(
                $"{origin} has plan format_version {plan.FormatVersion}; Nautilus reads 0.x and 1.x. Upgrade Nautilus or use a Terraform/OpenTofu release that writes format 1.x.");
        }

        return plan;
    }

    public static TerraformPlan Load(string path, string? displayPath = null)
    {
        if (!File.Exists(path))
        {
            throw NautilusException.Usage($"Plan file {displayPath ?? path} does not exist. Produce it with 'terraform show -json plan.tfplan > plan.json'.");
        }

        return Parse(File.ReadAllText(path), displayPath ?? path);
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
                if (variable.Value.ValueKind == JsonValueKind.Object && variable.Value.TryGetProperty("sensitive", out var s) && s.ValueKind == JsonValueKind.True)
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

public sealed record PlanVariable([property: JsonPropertyName("value")] JsonElement? Value);

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
