namespace Nautilus.Core.PlanNotes;

/// <summary>Limits on the details; the renderer lowers them until the note fits GitLab's limit.</summary>
public sealed record DetailLimits(int ResourcesPerWave, int AttributesPerResource)
{
    public static DetailLimits Full { get; } = new(int.MaxValue, 30);
}
