namespace Nautilus.Core.NetBox;

/// <summary>
/// The custom fields and the wave rule Nautilus keeps in NetBox (docs/design.md, "NetBox conventions"), and how an
/// object is named in messages. They live with the client so that every reader (the planner, the webhook service,
/// create-vm, bootstrap) applies them one way.
/// </summary>
public static class NetBoxConventions
{
    public const string SequenceField = "deployment_sequence";
    public const string WaveField = "deployment_wave";
    public const string DurationField = "estimated_duration";
    public const string RollbackField = "rollback_complexity";

    /// <summary>The wave of an object with neither the custom field nor a wave: tag.</summary>
    public const string DefaultWave = "default";

    /// <summary>"virtual machine 'web-01' (id 7)": how every message names an object.</summary>
    public static string Describe(NetBoxObject o) =>
        $"{(o.Kind == ObjectKind.VirtualMachine ? "virtual machine" : "device")} '{o.DisplayName}' (id {o.Id})";

    /// <summary>Tag values by prefix, read from tag names ("wave:db"); tags made in the UI keep the colon in their name.</summary>
    public static IEnumerable<string> TagValues(NetBoxObject o, string prefix) =>
        o.Tags.Select(t => Tags.ValueOf(t.Name, prefix)).Where(v => !string.IsNullOrEmpty(v)).Select(v => v!);

    /// <summary>
    /// The custom field deployment_wave, else the one wave: tag, else "default". Both set and different: the field
    /// wins, with a warning. Several different wave: tags and no field: a problem, since no order can be told.
    /// </summary>
    public static WaveAssignment WaveOf(NetBoxObject o)
    {
        var waveTags = TagValues(o, Tags.WavePrefix).Distinct(StringComparer.Ordinal).ToList();
        var fieldWave = o.CustomText(WaveField)?.Trim();
        if (!string.IsNullOrEmpty(fieldWave))
        {
            return waveTags.Count > 0 && !waveTags.Contains(fieldWave)
                ? new WaveAssignment(fieldWave, null,
                    $"{Describe(o)} has custom field {WaveField} '{fieldWave}' and tag wave:{string.Join(", wave:", waveTags)}; the custom field wins. " +
                    $"Remove the stale tag.")
                : new WaveAssignment(fieldWave, null, null);
        }

        return waveTags.Count switch
        {
            0 => new WaveAssignment(DefaultWave, null, null),
            1 => new WaveAssignment(waveTags[0], null, null),
            _ => new WaveAssignment(waveTags[0],
                $"{Describe(o)} has several wave tags (wave:{string.Join(", wave:", waveTags)}). Keep one, or set custom field {WaveField}.", null),
        };
    }
}

/// <summary>An object's wave; <see cref="Problem"/> when it cannot be told (the wave is then a guess not to act on).</summary>
public sealed record WaveAssignment(string Wave, string? Problem, string? Warning);
