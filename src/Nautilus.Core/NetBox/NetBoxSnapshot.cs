using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nautilus.Core.NetBox;

/// <summary>
/// The export file of docs/design.md §3 and the in-memory view every command plans from: objects exactly
/// as NetBox's REST API returns them, whichever source they came from.
/// </summary>
public sealed record NetBoxSnapshot
{
    [JsonPropertyName("netbox_version")] public string? NetBoxVersion { get; init; }
    [JsonPropertyName("virtual_machines")] public List<VirtualMachine> VirtualMachines { get; init; } = [];
    [JsonPropertyName("devices")] public List<Device> Devices { get; init; } = [];
    [JsonPropertyName("tags")] public List<Tag> Tags { get; init; } = [];

    /// <summary>Before NetBox 4.1, VM disk was GB; since, MB (docs/design.md §2).</summary>
    [JsonIgnore]
    public bool DiskIsGigabytes => Version.TryParse(NetBoxVersion?.Split('-', ' ')[0].TrimEnd('x', '.'), out var v)
        && (v.Major < 4 || (v.Major == 4 && v.Minor < 1));

    public IEnumerable<NetBoxObject> Objects => VirtualMachines.Cast<NetBoxObject>().Concat(Devices);

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NewLine = "\n",
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    /// <summary>
    /// What every command but `netbox export` reads with: only the fields Nautilus uses, nested objects shared
    /// (<see cref="LeanObjectConverter{T}"/>). Reading only; writing an export uses <see cref="JsonOptions"/>.
    /// </summary>
    public static JsonSerializerOptions LeanJsonOptions { get; } = new(JsonOptions)
    {
        Converters = { new LeanObjectConverter<VirtualMachine>(), new LeanObjectConverter<Device>() },
    };
}

/// <summary>Where NetBox data comes from: a live NetBox or an export file. Both feed the same code path.</summary>
public interface INetBoxSource
{
    /// <summary>"https://netbox.example.com" or "file:examples/netbox/dc1-refresh.json", recorded in the manifest.</summary>
    string Description { get; }

    /// <summary>Every VM and device tagged with the work package, whatever its status.</summary>
    Task<NetBoxSnapshot> LoadWorkPackageAsync(string workPackage, CancellationToken cancellationToken);

    /// <summary>
    /// How many objects of another work package are still planned; null when this source holds no object of it at all
    /// (an unknown or mistyped work package, or one whose objects are elsewhere): such a dependency is never done.
    /// </summary>
    Task<int?> CountPlannedAsync(string workPackage, CancellationToken cancellationToken);
}

/// <param name="path">The file to read.</param>
/// <param name="displayPath">How the manifest names it (relative to the working directory, so output does not depend on where a checkout lives).</param>
/// <param name="keepUnknownFields">Keep every field NetBox sent (`netbox export` writes them back); else read lean.</param>
public sealed class ExportFileSource(string path, string? displayPath = null, bool keepUnknownFields = false) : INetBoxSource
{
    private NetBoxSnapshot? _snapshot;

    public string Description => "file:" + (displayPath ?? path).Replace('\\', '/');

    public static async Task<NetBoxSnapshot> ReadAsync(string path, CancellationToken cancellationToken, bool keepUnknownFields = false)
    {
        if (!File.Exists(path))
        {
            throw NautilusException.Usage($"The export file '{path}' does not exist. Write one with 'nautilus netbox export --wp <wp> > {path}' or pass " +
                $"--netbox-url.");
        }

        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
            var options = keepUnknownFields ? NetBoxSnapshot.JsonOptions : NetBoxSnapshot.LeanJsonOptions;
            var snapshot = await JsonSerializer.DeserializeAsync<NetBoxSnapshot>(stream, options, cancellationToken).ConfigureAwait(false);
            return snapshot ?? throw NautilusException.InvalidData($"The export file '{path}' holds null; expected {{\"netbox_version\", " +
                $"\"virtual_machines\", \"devices\", \"tags\"}}.");
        }
        catch (JsonException ex)
        {
            throw NautilusException.InvalidData(
                $"The export file '{path}' is not a NetBox export (line {ex.LineNumber + 1}, position {ex.BytePositionInLine}: {ex.Message}). Expected " +
                    $"{{\"netbox_version\", \"virtual_machines\": [...], \"devices\": [...], \"tags\": [...]}} with objects as NetBox's REST API returns " +
                    $"them.");
        }
    }

    public async Task<NetBoxSnapshot> LoadWorkPackageAsync(string workPackage, CancellationToken cancellationToken)
    {
        var all = await LoadAllAsync(cancellationToken).ConfigureAwait(false);
        var tag = WorkPackage.TagName(workPackage);
        var snapshot = all with
        {
            VirtualMachines = all.VirtualMachines.Where(o => o.HasTag(tag)).ToList(),
            Devices = all.Devices.Where(o => o.HasTag(tag)).ToList(),
        };

        // As live NetBox: a work package neither a tag nor an object knows is a mistake, not an empty package.
        if (!snapshot.Objects.Any() && !all.Tags.Exists(t => t.Name == tag || t.Slug == Tags.SlugOf(tag)))
        {
            throw WorkPackage.Unknown(workPackage, $"the export file {Description[5..]}",
                WorkPackage.FromTags(all.Tags.Select(t => t.Name).Concat(all.Objects.SelectMany(o => o.Tags).Select(t => t.Name))));
        }

        return snapshot;
    }

    public async Task<int?> CountPlannedAsync(string workPackage, CancellationToken cancellationToken)
    {
        var all = await LoadAllAsync(cancellationToken).ConfigureAwait(false);
        var tag = WorkPackage.TagName(workPackage);
        var objects = all.Objects.Where(o => o.HasTag(tag)).ToList();
        return objects.Count == 0 ? null : objects.Count(o => o.StatusValue == "planned");
    }

    private async Task<NetBoxSnapshot> LoadAllAsync(CancellationToken cancellationToken) =>
        _snapshot ??= await ReadAsync(path, cancellationToken, keepUnknownFields).ConfigureAwait(false);
}

public sealed class LiveNetBoxSource(NetBoxClient client) : INetBoxSource
{
    public string Description => client.Options.BaseUrl.ToString().TrimEnd('/');

    public async Task<NetBoxSnapshot> LoadWorkPackageAsync(string workPackage, CancellationToken cancellationToken)
    {
        var tagName = WorkPackage.TagName(workPackage);

        // An unknown tag slug in a filter answers 400 (NetBox #5129), and UI-made tags carry a slug without
        // the colon; so find the tag first and filter by its real slug.
        var tag = await client.FindTagAsync(tagName, cancellationToken).ConfigureAwait(false);
        if (tag is null)
        {
            throw await client.UnknownWorkPackageAsync(workPackage, cancellationToken).ConfigureAwait(false);
        }

        var query = ObjectQuery.ForTag(tag.Slug);
        var vms = client.ListVirtualMachinesAsync(query, cancellationToken);
        var devices = client.ListDevicesAsync(query, cancellationToken);
        await Task.WhenAll(vms, devices).ConfigureAwait(false);

        var tags = new Dictionary<int, Tag> { [tag.Id] = tag };
        foreach (var nested in (await vms.ConfigureAwait(false)).SelectMany(o => o.Tags).Concat((await devices.ConfigureAwait(false)).SelectMany(o => o.Tags)))
        {
            tags.TryAdd(nested.Id, new Tag { Id = nested.Id, Url = nested.Url, Display = nested.Display, Name = nested.Name, Slug = nested.Slug,
                Color = nested.Color });
        }

        return new NetBoxSnapshot
        {
            NetBoxVersion = client.ServerVersion,
            VirtualMachines = await vms.ConfigureAwait(false),
            Devices = await devices.ConfigureAwait(false),
            Tags = tags.Values.OrderBy(t => t.Id).ToList(),
        };
    }

    public async Task<int?> CountPlannedAsync(string workPackage, CancellationToken cancellationToken)
    {
        var tag = await client.FindTagAsync(WorkPackage.TagName(workPackage), cancellationToken).ConfigureAwait(false);
        if (tag is null)
        {
            return null;
        }

        var planned = await CountAsync(new Dictionary<string, object> { ["tag"] = tag.Slug, ["status"] = "planned", ["limit"] = "1", ["fields"] = "id" },
            cancellationToken).ConfigureAwait(false);
        if (planned > 0)
        {
            return planned;
        }

        // No planned object: done, or never had any (a tag nobody uses). Only the first is a finished dependency.
        var any = await CountAsync(new Dictionary<string, object> { ["tag"] = tag.Slug, ["limit"] = "1", ["fields"] = "id" }, cancellationToken)
            .ConfigureAwait(false);
        return any == 0 ? null : 0;
    }

    private async Task<int> CountAsync(Dictionary<string, object> parameters, CancellationToken cancellationToken)
    {
        var vms = await client.Api.ListVirtualMachinesAsync(parameters, cancellationToken).ConfigureAwait(false);
        var devices = await client.Api.ListDevicesAsync(parameters, cancellationToken).ConfigureAwait(false);
        return (vms.Count ?? vms.Results.Count) + (devices.Count ?? devices.Results.Count);
    }
}
