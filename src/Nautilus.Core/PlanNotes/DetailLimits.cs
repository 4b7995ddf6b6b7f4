namespace Nautilus.Core.PlanNotes;

/// <summary>
/// Limits on the details; the renderer lowers them until the note fits GitLab's limit. The raw `terraform show` text of
/// each wave (<paramref name="ShowText"/>) is the first thing dropped.
/// </summary>
public sealed record DetailLimits(int ResourcesPerWave, int AttributesPerResource, bool ShowText = false)
{
    public static DetailLimits Full { get; } = new(int.MaxValue, 30, ShowText: true);
}
