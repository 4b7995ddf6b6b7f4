namespace Nautilus.Core.PlanNotes;

/// <summary>Where the comment points for what it leaves out, and what it says about the run.</summary>
public sealed record PlanCommentContext
{
    public string? NetBoxUrl { get; init; }
    public string? ArtifactsUrl { get; init; }
    public string? CommitSha { get; init; }
    public string? PipelineUrl { get; init; }
    public string? PipelineId { get; init; }
    public string Generator { get; init; } = "nautilus";

    /// <summary>The work package's NetBox branch and its changes, shown above the plan; null without netbox-branching.</summary>
    public NetBoxBranchChanges? NetBoxChanges { get; init; }
}
