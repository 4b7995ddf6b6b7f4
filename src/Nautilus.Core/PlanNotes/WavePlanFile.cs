using Nautilus.Core.Terraform;

namespace Nautilus.Core.PlanNotes;

/// <summary>
/// One wave's plan as found on disk (null when its plan job left none, or when the file is there but unreadable:
/// then <see cref="Problem"/> says why).
/// </summary>
public sealed record WavePlanFile(string Name, int? Level, string? Path, TerraformPlan? Plan, IReadOnlyDictionary<string, NetBoxIdentity> Identities)
{
    /// <summary>Why the wave's plan.json could not be read (not JSON, not a plan, a format Nautilus does not read).</summary>
    public string? Problem { get; init; }
}
