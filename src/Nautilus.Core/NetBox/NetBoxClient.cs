using System.Collections.Concurrent;
using System.Web;
using Microsoft.Extensions.Logging;

namespace Nautilus.Core.NetBox;

/// <summary>
/// NetBox reads and writes on top of the Refit API: paging that never trusts limit=0, concurrent page
/// fetches once the count is known, field selection, chunked bulk writes. A client works on main, or, made by
/// <see cref="InBranch"/>, inside one netbox-branching branch for every request.
/// </summary>
public sealed class NetBoxClient(
    INetBoxApi api,
    NetBoxOptions options,
    NetBoxServerInfo serverInfo,
    ILogger<NetBoxClient> logger,
    NetBoxApiFactory? apis = null,
    NetBoxBranch? branch = null)
{
    /// <summary>
    /// Top-level fields the planner, templates and inventory read. NetBox 4.0+ honours ?fields= (skipping
    /// config_context, the costliest part); older versions ignore unknown parameters and send everything.
    /// </summary>
    public const string ObjectFields =
        "id,url,display_url,display,name,status,role,device_role,site,tenant,platform,cluster,device_type,rack,serial," +
        "primary_ip4,primary_ip6,vcpus,memory,disk,description,comments,tags,custom_fields,last_updated";

    public INetBoxApi Api => api;

    /// <summary>The branch every request works in; null for main.</summary>
    public NetBoxBranch? Branch => branch;

    /// <summary>"main" or "branch dc1-refresh", for messages.</summary>
    public string Scope => branch is null ? "main" : $"branch {branch.Name}";

    /// <summary>
    /// A client whose every request works inside <paramref name="target"/>. Only a ready branch is worked in: the
    /// caller waits for it first (<see cref="NetBoxBranching.WaitWhileBusyAsync"/>).
    /// </summary>
    public NetBoxClient InBranch(NetBoxBranch target)
    {
        if (!target.IsReady)
        {
            throw new InvalidOperationException($"NetBox branch {target.Name} is {target.StatusValue}, not ready: nothing may read or write it yet.");
        }

        var factory = apis ?? throw new InvalidOperationException("This NetBox client was not made by AddNetBox and cannot work in a branch.");
        return new NetBoxClient(factory.Create(target.SchemaId), options, serverInfo, logger, factory, target);
    }

    /// <summary>This client's counterpart on main (itself when it works on main).</summary>
    public NetBoxClient Main => branch is null
        ? this
        : new NetBoxClient((apis ?? throw new InvalidOperationException("no API factory")).Create(null), options, serverInfo, logger, apis, null);

    public NetBoxOptions Options => options;

    /// <summary>NetBox's API version (major.minor) from its last answer; null before the first request.</summary>
    public string? ServerVersion => serverInfo.ApiVersion;

    public Task<List<VirtualMachine>> ListVirtualMachinesAsync(ObjectQuery query, CancellationToken cancellationToken) =>
        ListAllAsync((q, ct) => api.ListVirtualMachinesAsync(q, ct), query.ToParameters(ObjectFields), "virtual machines", cancellationToken);

    public Task<List<Device>> ListDevicesAsync(ObjectQuery query, CancellationToken cancellationToken) =>
        ListAllAsync((q, ct) => api.ListDevicesAsync(q, ct), query.ToParameters(ObjectFields), "devices", cancellationToken);

    public async Task<Tag?> FindTagAsync(string name, CancellationToken cancellationToken)
    {
        var byName = await api.ListTagsAsync(new Dictionary<string, object> { ["name"] = name }, cancellationToken).ConfigureAwait(false);
        if (byName.Results.Count > 0)
        {
            return byName.Results[0];
        }

        var bySlug = await api.ListTagsAsync(new Dictionary<string, object> { ["slug"] = Tags.SlugOf(name) }, cancellationToken).ConfigureAwait(false);
        return bySlug.Results.FirstOrDefault();
    }

    public Task<List<Tag>> ListTagsAsync(IDictionary<string, object> filter, CancellationToken cancellationToken) =>
        ListAllAsync((q, ct) => api.ListTagsAsync(q, ct), new Dictionary<string, object>(filter), "tags", cancellationToken);

    /// <summary>The error for a work package this NetBox has no tag of: the known work packages, and the close match.</summary>
    public async Task<NautilusException> UnknownWorkPackageAsync(string workPackage, CancellationToken cancellationToken)
    {
        var known = await ListTagsAsync(new Dictionary<string, object> { ["name__isw"] = Tags.WorkPackagePrefix, ["brief"] = "true" }, cancellationToken)
            .ConfigureAwait(false);
        return WorkPackage.Unknown(workPackage, $"NetBox at {Options.BaseUrl.ToString().TrimEnd('/')}", WorkPackage.FromTags(known.Select(t => t.Name)));
    }

    /// <summary>
    /// The one way Nautilus makes a tag exist: found by name (UI-made tags carry NetBox's colon-dropping slug), else
    /// created with our slug and the colour <see cref="Tags.ColorOf"/> gives it. A dry run only says what it would do.
    /// </summary>
    public async Task<EnsuredTag> EnsureTagAsync(string name, string description, bool dryRun, CancellationToken cancellationToken)
    {
        if (await FindTagAsync(name, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return new EnsuredTag(name, existing, TagOutcome.Exists);
        }

        if (dryRun)
        {
            return new EnsuredTag(name, null, TagOutcome.WouldCreate);
        }

        var created = await api.CreateTagAsync(
            new Dictionary<string, object?> { ["name"] = name, ["slug"] = Tags.SlugOf(name), ["color"] = Tags.ColorOf(name), ["description"] = description },
            cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Created NetBox tag {Tag} (slug {Slug})", created.Name, created.Slug);
        return new EnsuredTag(name, created, TagOutcome.Created);
    }

    /// <summary>The tag wp:&lt;wp&gt; of a work package (wp init, create-vm, bootstrap, the branch-created webhook).</summary>
    public Task<EnsuredTag> EnsureWorkPackageTagAsync(string workPackage, string description, bool dryRun, CancellationToken cancellationToken) =>
        EnsureTagAsync(WorkPackage.TagName(workPackage), description, dryRun, cancellationToken);

    /// <summary>Objects per bulk request, whatever <see cref="NetBoxOptions.BulkChunkSize"/> asks for.</summary>
    public const int MaxBulkChunk = 500;

    /// <summary>The chunk every bulk write uses: the configured size, at most <see cref="MaxBulkChunk"/>.</summary>
    public int BulkChunk => Math.Clamp(options.BulkChunkSize, 1, MaxBulkChunk);

    /// <summary>
    /// Bulk PATCH in chunks (NetBox's bulk update is all-or-none per request and bounded by body size,
    /// DATA_UPLOAD_MAX_MEMORY_SIZE). Each change is a dictionary holding "id".
    /// </summary>
    public async Task<int> BulkUpdateAsync(ObjectKind kind, IReadOnlyList<IDictionary<string, object?>> changes, CancellationToken cancellationToken)
    {
        var updated = 0;
        foreach (var chunk in changes.Chunk(BulkChunk))
        {
            updated += kind == ObjectKind.VirtualMachine
                ? (await api.BulkUpdateVirtualMachinesAsync(chunk, cancellationToken).ConfigureAwait(false)).Count
                : (await api.BulkUpdateDevicesAsync(chunk, cancellationToken).ConfigureAwait(false)).Count;
        }

        return updated;
    }

    public async Task<int> CreateJournalEntriesAsync(IReadOnlyList<NewJournalEntry> entries, CancellationToken cancellationToken)
    {
        var created = 0;
        foreach (var chunk in entries.Chunk(BulkChunk))
        {
            created += (await api.CreateJournalEntriesAsync(chunk, cancellationToken).ConfigureAwait(false)).Count;
        }

        return created;
    }

    /// <summary>Journal entries matching a filter (e.g. q= searches comments, assigned_object_type=…).</summary>
    public Task<List<JournalEntry>> ListJournalEntriesAsync(IDictionary<string, object> filter, CancellationToken cancellationToken) =>
        ListAllAsync((q, ct) => api.ListJournalEntriesAsync(q, ct), new Dictionary<string, object>(filter), "journal entries", cancellationToken);

    /// <summary>
    /// Reads every page. The first page tells the count and the page size the server really uses
    /// (limit is clamped to MAX_PAGE_SIZE); the remaining offsets are then fetched concurrently. If the
    /// data moved meanwhile, the last page's `next` is followed until it is null.
    /// </summary>
    public async Task<List<T>> ListAllAsync<T>(
        Func<IDictionary<string, object>, CancellationToken, Task<Page<T>>> fetch,
        Dictionary<string, object> parameters,
        string what,
        CancellationToken cancellationToken)
    {
        parameters["limit"] = options.PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        parameters.Remove("offset");
        var first = await fetch(parameters, cancellationToken).ConfigureAwait(false);
        var results = new List<T>(first.Count ?? first.Results.Count);
        results.AddRange(first.Results);
        if (first.Next is null)
        {
            return results;
        }

        var pageSize = first.Results.Count;
        string? next = first.Next;
        if (first.Count is int count && pageSize > 0 && IsOffsetPaging(first.Next))
        {
            var offsets = new List<int>();
            for (var offset = pageSize; offset < count; offset += pageSize)
            {
                offsets.Add(offset);
            }

            var pages = new ConcurrentDictionary<int, Page<T>>();
            await Parallel.ForEachAsync(
                offsets,
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxConcurrency), CancellationToken = cancellationToken },
                async (offset, ct) =>
                {
                    var query = new Dictionary<string, object>(parameters)
                    {
                        ["limit"] = pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ["offset"] = offset.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    };
                    pages[offset] = await fetch(query, ct).ConfigureAwait(false);
                }).ConfigureAwait(false);

            foreach (var offset in offsets)
            {
                results.AddRange(pages[offset].Results);
            }

            next = offsets.Count == 0 ? first.Next : pages[offsets[^1]].Next;
        }

        while (next is not null)
        {
            var page = await fetch(QueryOf(next, parameters), cancellationToken).ConfigureAwait(false);
            results.AddRange(page.Results);
            next = page.Next;
        }

        logger.LogDebug("Read {Count} {What} from NetBox", results.Count, what);
        return results;
    }

    private static bool IsOffsetPaging(string next) =>
        HttpUtility.ParseQueryString(new Uri(next, UriKind.RelativeOrAbsolute).IsAbsoluteUri ? new Uri(next).Query : next.Contains('?')
            ? next[next.IndexOf('?')..] : "")["offset"] is not null;

    /// <summary>The query of a `next` link, asked again through the same typed endpoint.</summary>
    private static Dictionary<string, object> QueryOf(string next, Dictionary<string, object> original)
    {
        var queryText = next.Contains('?') ? next[(next.IndexOf('?') + 1)..] : "";
        var parsed = HttpUtility.ParseQueryString(queryText);
        var query = new Dictionary<string, object>();
        foreach (var key in parsed.AllKeys)
        {
            if (key is null)
            {
                continue;
            }

            var values = parsed.GetValues(key) ?? [];
            query[key] = values.Length == 1 ? values[0] : values;
        }

        return query.Count == 0 ? original : query;
    }
}

public enum TagOutcome
{
    Exists,
    Created,
    WouldCreate,
}

/// <summary>A tag made sure of; <see cref="Tag"/> is null only in a dry run that would have created it.</summary>
public sealed record EnsuredTag(string Name, Tag? Tag, TagOutcome Outcome)
{
    /// <summary>One line for the commands' output: "exists   tag wp:x (slug wp-x)".</summary>
    public override string ToString() => Outcome switch
    {
        TagOutcome.Exists => $"exists   tag {Name} (slug {Tag!.Slug})",
        TagOutcome.Created => $"created  tag {Name} (slug {Tag!.Slug})",
        _ => $"would create tag {Name} (slug {Tags.SlugOf(Name)})",
    };
}

public sealed record NetBoxOptions
{
    public required Uri BaseUrl { get; init; }
    public string? Token { get; init; }
    public int PageSize { get; init; } = 1000;
    public int MaxConcurrency { get; init; } = 4;
    public int BulkChunkSize { get; init; } = 500;

    /// <summary>Keep every field NetBox sends (`netbox export` writes them back); else VMs and devices are read lean.</summary>
    public bool KeepUnknownFields { get; init; }
    public Http.ResilienceSettings Resilience { get; init; } = Http.ResilienceSettings.Default;

    /// <summary>v2 tokens (NetBox 4.5+, "nbt_" prefix) use Bearer; v1 tokens use Token (docs/design.md §2).</summary>
    public static string AuthorizationOf(string token) =>
        token.StartsWith("nbt_", StringComparison.Ordinal) ? $"Bearer {token}" : $"Token {token}";

    /// <summary>
    /// The instance root from a URL a person configured (<paramref name="origin"/> names where), or the problem with it.
    /// The client adds /api/ itself, so a URL that already ends in /api is caught here, before any request goes to
    /// /api/api/… and comes back as a confusing 404.
    /// </summary>
    public static bool TryParseBaseUrl(string url, string origin, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? baseUrl,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        baseUrl = null;
        if (!Uri.TryCreate(url.Trim().TrimEnd('/') + "/", UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
        {
            problem = $"{origin} is '{url}', not an http(s) URL; set it to the NetBox root, e.g. https://netbox.example.com.";
            return false;
        }

        if (parsed.AbsolutePath.TrimEnd('/').EndsWith("/api", StringComparison.OrdinalIgnoreCase))
        {
            var root = parsed.GetLeftPart(UriPartial.Authority) + parsed.AbsolutePath.TrimEnd('/')[..^"/api".Length];
            problem = $"{origin} is '{url}', which ends in /api; Nautilus adds /api/ itself. Set it to the NetBox root: {root}";
            return false;
        }

        (baseUrl, problem) = (parsed, null);
        return true;
    }
}

/// <summary>A NetBox list filter: tag slugs (AND), statuses (OR) and cf_ lookups.</summary>
public sealed record ObjectQuery
{
    public IReadOnlyList<string> TagSlugs { get; init; } = [];
    public IReadOnlyList<string> Statuses { get; init; } = [];
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();

    public static ObjectQuery ForTag(string slug, params string[] statuses) => new() { TagSlugs = [slug], Statuses = statuses };

    public Dictionary<string, object> ToParameters(string fields)
    {
        var parameters = new Dictionary<string, object> { ["fields"] = fields, ["ordering"] = "id" };
        if (TagSlugs.Count > 0)
        {
            parameters["tag"] = TagSlugs.Count == 1 ? TagSlugs[0] : TagSlugs.ToArray();
        }

        if (Statuses.Count > 0)
        {
            parameters["status"] = Statuses.Count == 1 ? Statuses[0] : Statuses.ToArray();
        }

        foreach (var (key, value) in Extra)
        {
            parameters[key] = value;
        }

        return parameters;
    }
}
