using System.Text.Json;
using System.Text.Json.Serialization;
using Nautilus.Core.NetBox;

namespace Nautilus.Core.Planning;

/// <summary>manifest.json (docs/design.md §4): the waves in execution order and each object's NetBox identity.</summary>
public sealed record Manifest(
    [property: JsonPropertyName("work_package")] string WorkPackage,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("waves")] IReadOnlyList<ManifestWave> Waves,
    [property: JsonPropertyName("warnings")] IReadOnlyList<string> Warnings,
    [property: JsonPropertyName("provider"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Provider = null)
{
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <param name="plan">The plan the output was generated from.</param>
    /// <param name="names">Terraform address and inventory host of each object, when code was generated (iac generate).</param>
    /// <param name="provider">The Terraform provider the code targets.</param>
    public static Manifest From(WavePlan plan, Func<PlannedObject, (string TerraformAddress, string InventoryHost)>? names = null, string? provider = null) =>
        new(
        plan.WorkPackage,
        plan.Source,
        plan.Waves.Select(w => new ManifestWave(
            w.Name,
            w.Key,
            w.Level,
            w.DependsOn,
            w.DependsOnWorkPackages,
            w.StateName,
            w.Objects.Select(o => new ManifestObject(o.Source.ObjectType, o.Id, o.Name, o.Sequence, o.Priority, o.Status)
            {
                TerraformAddress = names?.Invoke(o).TerraformAddress,
                InventoryHost = names?.Invoke(o).InventoryHost,
                Url = UiUrl(o.Source),
                Fields = NetBoxFields.Of(o.Source),
            }).ToList())).ToList(),
        plan.Warnings,
        provider);

    /// <summary>
    /// The object's page in NetBox's UI: its display_url, else its API url without "/api" (NetBox before 4.1 has no
    /// display_url); null without either, or when it is not http(s).
    /// </summary>
    public static string? UiUrl(NetBoxObject source)
    {
        var url = source.DisplayUrl is { Length: > 0 } display ? display
            : source.Url is { Length: > 0 } api && api.IndexOf("/api/", StringComparison.Ordinal) is var at and > 0 ? api[..at] + api[(at + 4)..]
            : null;
        return url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? url : null;
    }

    /// <summary>
    /// Every file this generation wrote besides the manifest, by path under the output root. The next generation
    /// removes exactly these when they are no longer produced, and keeps every other file (Terraform's .terraform/,
    /// the lock file, anything a person put there).
    /// </summary>
    [JsonPropertyName("files")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Files { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions) + "\n";

    /// <summary>The bytes of <see cref="ToJson"/> (UTF-8), written in pieces: a 10,000-object manifest is never one string.</summary>
    public void WriteTo(Stream stream)
    {
        JsonSerializer.Serialize(stream, this, JsonOptions);
        stream.WriteByte((byte)'\n');
    }

    public static string PathFor(string outDir, string workPackage) => Path.Combine(outDir, ".nautilus", workPackage, "manifest.json");

    /// <summary>Where the manifest is committed, relative to the repository root ('/' separated, as GitLab's Files API names it).</summary>
    public static string RepositoryPath(string workPackage) => $".nautilus/{workPackage}/manifest.json";

    /// <summary>A manifest's text; <paramref name="origin"/> names it in the error (a path, or a path at a commit).</summary>
    public static Manifest Parse(string json, string origin)
    {
        try
        {
            return JsonSerializer.Deserialize<Manifest>(json, JsonOptions)
                ?? throw NautilusException.InvalidData($"{origin} is empty, not a Nautilus manifest. Regenerate it with 'nautilus iac generate'.");
        }
        catch (JsonException ex)
        {
            throw NautilusException.InvalidData($"{origin} is not a Nautilus manifest ({ex.Message}). Regenerate it with 'nautilus iac generate'.");
        }
    }

    public static Manifest? TryRead(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>
    /// The manifest's source, provider and file list without its waves: what `iac generate --check` needs when the
    /// code is current. Streamed from the file, the waves skipped unparsed, so a 10,000-object manifest costs a
    /// read, not a model. Null when there is no manifest or it is not one.
    /// </summary>
    public static ManifestHeader? TryReadHeader(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<ManifestHeader>(stream, JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The parts of manifest.json that describe the generation rather than the objects (see <see cref="Manifest.TryReadHeader"/>).</summary>
public sealed record ManifestHeader(
    [property: JsonPropertyName("source")] string? Source,
    [property: JsonPropertyName("provider")] string? Provider,
    [property: JsonPropertyName("files")] IReadOnlyList<string>? Files);

public sealed record ManifestWave(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("level")] int Level,
    [property: JsonPropertyName("depends_on")] IReadOnlyList<string> DependsOn,
    [property: JsonPropertyName("depends_on_wp")] IReadOnlyList<string> DependsOnWorkPackages,
    [property: JsonPropertyName("state_name")] string StateName,
    [property: JsonPropertyName("objects")] IReadOnlyList<ManifestObject> Objects);

public sealed record ManifestObject(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("sequence")] int? Sequence,
    [property: JsonPropertyName("priority")] string? Priority,
    [property: JsonPropertyName("status")] string Status)
{
    /// <summary>
    /// The resource that stands for the object in its wave's Terraform root module ("vsphere_virtual_machine.dc1_web_01",
    /// "terraform_data.dc1_leaf_01" for devices). Plans, drift and sync map resources back to NetBox through it;
    /// the module's output `nautilus_netbox` holds the same mapping for `terraform show -json`.
    /// </summary>
    [JsonPropertyName("terraform_address")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TerraformAddress { get; init; }

    /// <summary>The object's host name in ansible/&lt;wp&gt;/inventory.yml.</summary>
    [JsonPropertyName("inventory_host")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? InventoryHost { get; init; }

    /// <summary>
    /// The object's page in NetBox (its display_url): the MR note links the object there even without a NetBox URL.
    /// Absent in manifests written before it existed, and for objects NetBox gave no URL.
    /// </summary>
    [JsonPropertyName("url")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Url { get; init; }

    /// <summary>
    /// The object's NetBox values the code was generated from (<see cref="NetBoxFields"/>), so `iac generate --check`
    /// can name the fields that changed since. Absent in manifests written before it existed; they still read.
    /// </summary>
    [JsonPropertyName("fields")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Fields { get; init; }

    [JsonIgnore]
    public ObjectKind Kind => Type == "dcim.device" ? ObjectKind.Device : ObjectKind.VirtualMachine;
}

/// <summary>
/// The waves of a committed manifest as a plan (docs/design.md §11, step 4): what `pipeline generate --manifest` and
/// `iac deploy` act on, so that what was reviewed is what is applied, whatever NetBox holds now. A wave is applied
/// as a whole (one Terraform root module), so filters select waves: a wave is in when one of its objects matches.
/// </summary>
public static class ManifestPlan
{
    /// <param name="manifest">The committed manifest.</param>
    /// <param name="selection">--wave (a wave's name or its key), --priority, --sprint (read from the object's recorded tags), --sequence.</param>
    /// <param name="source">How the plan names where it came from ("the committed manifest .nautilus/dc1/manifest.json").</param>
    public static WavePlan From(Manifest manifest, Selection selection, string source)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(selection);
        var unknown = selection.Waves.Where(w => !manifest.Waves.Any(m => m.Name == w || m.Key == w)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            var its = manifest.Waves.Count == 0 ? "none" : string.Join(", ", manifest.Waves.Select(w => w.Name == w.Key ? w.Name : $"{w.Name} (key {w.Key})"));
            throw NautilusException.Usage(
                $"--wave {string.Join(",", unknown)}: the committed manifest of work package {manifest.WorkPackage} has no such wave. Its waves: {its}.");
        }

        var byWaveFilter = selection with { Waves = new HashSet<string>(StringComparer.Ordinal) };
        var waves = new List<Wave>();
        foreach (var wave in manifest.Waves)
        {
            var objects = wave.Objects.Select(o => ToPlanned(o, wave.Name)).ToList();
            var named = selection.Waves.Count == 0 || selection.Waves.Contains(wave.Name) || selection.Waves.Contains(wave.Key);
            if (!named || !objects.Any(byWaveFilter.Matches))
            {
                continue;
            }

            waves.Add(new Wave
            {
                Name = wave.Name,
                Key = wave.Key,
                Level = wave.Level,
                Rank = objects.Min(o => o.Sequence),
                DependsOn = wave.DependsOn,
                DependsOnWorkPackages = wave.DependsOnWorkPackages,
                StateName = wave.StateName,
                Objects = objects,
            });
        }

        // A selection can leave out the waves another one depends on: keep only edges between selected waves.
        var kept = waves.Select(w => w.Name).ToHashSet(StringComparer.Ordinal);
        waves = waves.Select(w => w with { DependsOn = w.DependsOn.Where(kept.Contains).ToList() }).ToList();
        return new WavePlan(manifest.WorkPackage, source, waves, manifest.Warnings, selection);
    }

    /// <summary>An object as the manifest recorded it: identity, name, status, sequence, priority and the sprint from its tags.</summary>
    private static PlannedObject ToPlanned(ManifestObject o, string wave)
    {
        var tags = (o.Fields?.GetValueOrDefault("tags") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var status = new ChoiceValue(JsonSerializer.SerializeToElement(o.Status), null);
        NetBoxObject source = o.Kind == ObjectKind.Device
            ? new Device { Id = o.Id, Name = o.Name, Status = status }
            : new VirtualMachine { Id = o.Id, Name = o.Name, Status = status };
        var sprint = tags.Select(t => Tags.ValueOf(t, Tags.SprintPrefix)).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        return new PlannedObject(source, wave, o.Sequence, o.Priority, sprint);
    }
}
