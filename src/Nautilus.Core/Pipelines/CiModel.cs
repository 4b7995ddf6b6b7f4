using YamlDotNet.Serialization;

namespace Nautilus.Core.Pipelines;

// Typed GitLab CI objects for the child pipeline, serialised by YamlDotNet (PipelineYaml). Only the keywords
// the child pipeline uses; names and shapes follow docs.gitlab.com/ci/yaml/ and the CI schema (tests vendor ci.json).

/// <summary>One job. Null members are omitted from the YAML; an empty `needs` is kept (it means "start at once").</summary>
public sealed record CiJob
{
    [YamlMember(Alias = "stage", Order = 1)]
    public string? Stage { get; init; }

    [YamlMember(Alias = "image", Order = 2)]
    public string? Image { get; init; }

    [YamlMember(Alias = "needs", Order = 3)]
    public IReadOnlyList<CiNeed>? Needs { get; init; }

    [YamlMember(Alias = "rules", Order = 4)]
    public IReadOnlyList<CiRule>? Rules { get; init; }

    [YamlMember(Alias = "resource_group", Order = 5)]
    public string? ResourceGroup { get; init; }

    [YamlMember(Alias = "environment", Order = 6)]
    public CiEnvironmentRef? Environment { get; init; }

    [YamlMember(Alias = "interruptible", Order = 7)]
    public bool? Interruptible { get; init; }

    [YamlMember(Alias = "variables", Order = 8)]
    public IDictionary<string, string>? Variables { get; init; }

    [YamlMember(Alias = "script", Order = 9)]
    public required IReadOnlyList<string> Script { get; init; }

    [YamlMember(Alias = "artifacts", Order = 10)]
    public CiArtifacts? Artifacts { get; init; }
}

/// <summary>
/// A `needs` entry: a job of this pipeline, or (with Pipeline) a job of the parent pipeline whose artifacts
/// this job downloads (docs.gitlab.com/ci/yaml/#needspipelinejob).
/// </summary>
public sealed record CiNeed
{
    [YamlMember(Alias = "pipeline", Order = 1)]
    public string? Pipeline { get; init; }

    [YamlMember(Alias = "job", Order = 2)]
    public required string Job { get; init; }

    [YamlMember(Alias = "artifacts", Order = 3)]
    public bool? Artifacts { get; init; }
}

public sealed record CiRule
{
    [YamlMember(Alias = "if", Order = 1)]
    public string? If { get; init; }

    [YamlMember(Alias = "when", Order = 2)]
    public string? When { get; init; }

    [YamlMember(Alias = "allow_failure", Order = 3)]
    public bool? AllowFailure { get; init; }
}

public sealed record CiEnvironmentRef
{
    [YamlMember(Alias = "name", Order = 1)]
    public required string Name { get; init; }

    /// <summary>start (deploys), prepare (plans: uses the environment's variables without a deployment).</summary>
    [YamlMember(Alias = "action", Order = 2)]
    public string? Action { get; init; }
}

public sealed record CiArtifacts
{
    /// <summary>Labels the report in the merge request's Terraform widget.</summary>
    [YamlMember(Alias = "name", Order = 1)]
    public string? Name { get; init; }

    /// <summary>Plans and `terraform show -json` output hold sensitive values in clear text: Guests must not read them.</summary>
    [YamlMember(Alias = "access", Order = 2)]
    public string? Access { get; init; }

    [YamlMember(Alias = "when", Order = 3)]
    public string? When { get; init; }

    [YamlMember(Alias = "expire_in", Order = 4)]
    public string? ExpireIn { get; init; }

    [YamlMember(Alias = "paths", Order = 5)]
    public IReadOnlyList<string>? Paths { get; init; }

    [YamlMember(Alias = "reports", Order = 6)]
    public CiReports? Reports { get; init; }
}

public sealed record CiReports
{
    [YamlMember(Alias = "terraform", Order = 1)]
    public string? Terraform { get; init; }
}

public sealed record CiDefault
{
    [YamlMember(Alias = "image", Order = 1)]
    public string? Image { get; init; }
}
