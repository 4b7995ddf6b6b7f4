using System.Text.Json;
using Nautilus.Core.Planning;
using Nautilus.Core.Terraform;

namespace Nautilus.Core.PlanNotes;

/// <summary>
/// The plans of a work package: DIR/&lt;wave&gt;/plan.json (wave name or its key as the folder name), in the
/// manifest's wave order when the manifest is there, else by folder name.
/// </summary>
public sealed record PlanSet(string WorkPackage, IReadOnlyList<WavePlanFile> Waves, IReadOnlyList<string> Warnings, string? NetBoxUrl)
{
    public static PlanSet Load(string plansDir, string displayDir, string workPackage, string? manifestPath)
    {
        if (!Directory.Exists(plansDir))
        {
            throw NautilusException.Usage($"--plans-dir {displayDir} is not a directory. It should hold <wave>/plan.json files written by 'terraform show " +
                $"-json'.");
        }

        // A wave's folder holds plan.json, or, when its plan job failed before writing one, what the job saved instead.
        var found = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var folders = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var dir in Directory.EnumerateDirectories(plansDir))
        {
            var file = System.IO.Path.Combine(dir, "plan.json");
            if (File.Exists(file))
            {
                found[System.IO.Path.GetFileName(dir)] = file;
            }

            if (File.Exists(file) || File.Exists(System.IO.Path.Combine(dir, WavePlanFile.ErrorFile))
                || File.Exists(System.IO.Path.Combine(dir, WavePlanFile.JobUrlFile)))
            {
                folders[System.IO.Path.GetFileName(dir)] = dir;
            }
        }

        if (found.Count == 0 && File.Exists(System.IO.Path.Combine(plansDir, "plan.json")))
        {
            var name = System.IO.Path.GetFileName(System.IO.Path.GetFullPath(plansDir).TrimEnd('/', '\\'));
            found[name] = System.IO.Path.Combine(plansDir, "plan.json");
            folders[name] = plansDir;
        }

        var manifest = manifestPath is null ? null : Manifest.TryRead(manifestPath);
        var warnings = new List<string>();
        if (manifest is not null && manifest.WorkPackage != workPackage)
        {
            throw NautilusException.Usage($"{manifestPath} is the manifest of work package '{manifest.WorkPackage}', not '{workPackage}'. Pass --wp " +
                $"{manifest.WorkPackage} or the right --manifest.");
        }

        if (folders.Count == 0 && (manifest is null || manifest.Waves.Count == 0))
        {
            throw NautilusException.Usage($"No plan.json under {displayDir}/<wave>/. Each plan job writes 'terraform show -json plan.tfplan > " +
                $"{displayDir}/<wave>/plan.json' as an artifact.");
        }

        // Plans parse independently (megabytes each for big waves): all at once, errors reported in folder order.
        var loaded = new Dictionary<string, Lazy<TerraformPlan>>(StringComparer.Ordinal);
        foreach (var (folder, file) in found)
        {
            loaded[folder] = new Lazy<TerraformPlan>(() => TerraformPlan.Load(file, $"{displayDir}/{folder}/plan.json"));
        }

        Parallel.ForEach(loaded.Values, plan =>
        {
            try
            {
                _ = plan.Value;
            }
            catch (Exception)
            {
                // Kept by the Lazy and read again below when that wave is reached.
            }
        });

        // One unreadable plan costs its wave, not the note: the wave is shown as failed with the reason, and the
        // caller still fails afterwards (see Problems). Anything else (an I/O error) stops the whole note.
        (TerraformPlan? Plan, string? Problem) Read(string folder)
        {
            try
            {
                return (loaded[folder].Value, null);
            }
            catch (NautilusException ex) when (ex.Code == ExitCode.InvalidData)
            {
                warnings.Add(ex.Message);
                return (null, ex.Message);
            }
        }

        var waves = new List<WavePlanFile>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var wave in manifest?.Waves ?? [])
        {
            var folder = folders.ContainsKey(wave.Key) ? wave.Key : folders.ContainsKey(wave.Name) ? wave.Name : null;
            var fromManifest = new Dictionary<string, NetBoxIdentity>(StringComparer.Ordinal);
            foreach (var o in wave.Objects)
            {
                if (o.TerraformAddress is { Length: > 0 } address)
                {
                    fromManifest[address] = new NetBoxIdentity(o.Type, o.Id, o.Name) { Url = o.Url };
                }
            }

            if (folder is null)
            {
                waves.Add(new WavePlanFile(wave.Name, wave.Level, null, null, fromManifest));
                continue;
            }

            used.Add(folder);
            var (plan, problem) = found.ContainsKey(folder) ? Read(folder) : (null, null);
            waves.Add(Saved(new WavePlanFile(wave.Name, wave.Level, found.GetValueOrDefault(folder), plan,
                plan is null ? fromManifest : Merge(fromManifest, IdentitiesOf(plan))) { Problem = problem }, folders[folder]));
        }

        foreach (var (folder, dir) in folders.Where(kv => !used.Contains(kv.Key)))
        {
            if (manifest is not null)
            {
                warnings.Add($"{displayDir}/{folder}/{(found.ContainsKey(folder) ? "plan.json" : "")} belongs to no wave of the manifest; shown without a " +
                    $"level. Regenerate with 'nautilus iac generate' if waves changed.");
            }

            var (plan, problem) = found.ContainsKey(folder) ? Read(folder) : (null, null);
            waves.Add(Saved(new WavePlanFile(folder, null, found.GetValueOrDefault(folder), plan,
                plan is null ? [] : IdentitiesOf(plan)) { Problem = problem }, dir));
        }

        var source = manifest?.Source;
        return new PlanSet(workPackage, waves, warnings, source is not null && source.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? source : null);
    }

    /// <summary>How much of a failed step's output is read: its end, where Terraform prints the errors.</summary>
    public const int ErrorBytes = 64 * 1024;

    /// <summary>How much of `terraform show` is read per wave; the note shows at most this and links the rest.</summary>
    public const int ShowChars = 60_000;

    /// <summary>What the plan job saved beside plan.json (docs/design.md §5): its error output, its URL, `terraform show`.</summary>
    private static WavePlanFile Saved(WavePlanFile wave, string dir)
    {
        var error = System.IO.Path.Combine(dir, WavePlanFile.ErrorFile);
        var jobUrl = System.IO.Path.Combine(dir, WavePlanFile.JobUrlFile);
        var show = System.IO.Path.Combine(dir, WavePlanFile.ShowFile);
        string? showText = null;
        var cut = false;
        if (File.Exists(show))
        {
            using var reader = new StreamReader(show);
            var buffer = new char[ShowChars + 1];
            var read = reader.ReadBlock(buffer, 0, buffer.Length);
            cut = read > ShowChars;
            showText = new string(buffer, 0, Math.Min(read, ShowChars));
        }

        return wave with
        {
            ErrorText = File.Exists(error) ? Tail(error, ErrorBytes) : null,
            JobUrl = File.Exists(jobUrl) ? File.ReadLines(jobUrl).FirstOrDefault()?.Trim() is { Length: > 0 } url ? url : null : null,
            ShowText = string.IsNullOrWhiteSpace(showText) ? null : showText,
            ShowTextCut = cut,
        };
    }

    private static string Tail(string path, int bytes)
    {
        using var stream = File.OpenRead(path);
        if (stream.Length > bytes)
        {
            stream.Seek(-bytes, SeekOrigin.End);
        }

        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();

        // Started mid-file: the first line is a fragment.
        return stream.Length > bytes && text.IndexOf('\n', StringComparison.Ordinal) is var nl and >= 0 ? text[(nl + 1)..] : text;
    }

    /// <summary>The waves whose plan.json could not be read, each with the reason.</summary>
    public IEnumerable<WavePlanFile> Unreadable => Waves.Where(w => w.Problem is not null);

    private static Dictionary<string, NetBoxIdentity> Merge(Dictionary<string, NetBoxIdentity> manifest, Dictionary<string, NetBoxIdentity> plan)
    {
        // The plan's own output wins: it was computed from the very code that was planned.
        foreach (var (address, identity) in plan)
        {
            manifest[address] = manifest.TryGetValue(address, out var known) && known.ObjectType == identity.ObjectType && known.Id == identity.Id
                ? identity with { Url = known.Url }
                : identity;
        }

        return manifest;
    }

    /// <summary>output "nautilus_netbox" = { "&lt;address&gt;" = { object_type, object_id, name } }, before and after (a destroyed resource is only in
    /// before).</summary>
    public static Dictionary<string, NetBoxIdentity> IdentitiesOf(TerraformPlan plan)
    {
        var result = new Dictionary<string, NetBoxIdentity>(StringComparer.Ordinal);
        if (plan.OutputChanges?.GetValueOrDefault(TerraformOutputs.OutputName) is not { } change)
        {
            return result;
        }

        foreach (var value in new[] { change.Before, change.After })
        {
            if (value is not { ValueKind: JsonValueKind.Object } map)
            {
                continue;
            }

            foreach (var entry in map.EnumerateObject())
            {
                if (entry.Value.ValueKind == JsonValueKind.Object
                    && entry.Value.TryGetProperty("object_type", out var type) && type.ValueKind == JsonValueKind.String
                    && entry.Value.TryGetProperty("object_id", out var id) && id.TryGetInt32(out var objectId))
                {
                    var name = entry.Value.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                    result[entry.Name] = new NetBoxIdentity(type.GetString()!, objectId, name);
                }
            }
        }

        return result;
    }
}
