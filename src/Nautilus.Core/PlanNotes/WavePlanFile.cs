using Nautilus.Core.Terraform;

namespace Nautilus.Core.PlanNotes;

/// <summary>One wave's plan as found on disk (null when its plan job left none).</summary>
public sealed record WavePlanFile(string Name, int? Level, string? Path, TerraformPlan? Plan, IReadOnlyDictionary<string, NetBoxIdentity> Identities);
