using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Nautilus.Core.NetBox;

/// <summary>NAUTILUS_NETBOX_BRANCHING: whether Nautilus works in netbox-branching branches.</summary>
public enum BranchingMode
{
    /// <summary>When NetBox answers /api/plugins/branching/ (the default).</summary>
    Auto,

    /// <summary>Always; the plugin missing is an error, never a silent write to main.</summary>
    On,

    /// <summary>Never: main only, as without the plugin.</summary>
    Off,
}

/// <summary>How long to wait for a branch (or a branch job) and how often to look.</summary>
public sealed record BranchWait(TimeSpan PollInterval, TimeSpan Timeout)
{
    /// <summary>The CLI waits at most 120 s for a branch to become ready.</summary>
    public static BranchWait Default { get; } = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(120));
}

/// <summary>The outcome of a merge/ (or sync/) request: a job to poll, or the conflicts that stopped it.</summary>
public sealed record BranchActionStart(NetBoxJob? Job, IReadOnlyList<BranchConflict> Conflicts, string? Detail)
{
    public bool Conflicted => Job is null;
}

/// <summary>The netbox-branching plugin's operations, on top of a NetBox client (docs/rest-api.md).</summary>
public sealed partial class NetBoxBranching(NetBoxClient client, TimeProvider time, ILogger logger)
{
    public const string ConfigurationKey = "Nautilus:NetBox:Branching";

    private const string Root = "api/plugins/branching/";

    private readonly NetBoxClient _main = client.Main;

    /// <summary>Where the plugin answers (or not), for messages.</summary>
    public string RootUrl => new Uri(client.Options.BaseUrl, Root).ToString();

    public static BranchingMode ModeFrom(IConfiguration configuration)
    {
        var text = configuration[ConfigurationKey];
        return text?.Trim().ToLowerInvariant() switch
        {
            null or "" or "auto" => BranchingMode.Auto,
            "on" or "true" => BranchingMode.On,
            "off" or "false" => BranchingMode.Off,
            _ => throw NautilusException.Usage($"NAUTILUS_NETBOX_BRANCHING is '{text}'; use auto (the default: branches when NetBox has the netbox-branching " +
                $"plugin), on or off."),
        };
    }

    /// <summary>Nautilus:NetBox:BranchPollMs (default 2000) and BranchWaitSeconds (default 120).</summary>
    public static BranchWait WaitFrom(IConfiguration configuration) => new(
        TimeSpan.FromMilliseconds(configuration.GetValue("Nautilus:NetBox:BranchPollMs", BranchWait.Default.PollInterval.TotalMilliseconds)),
        TimeSpan.FromSeconds(configuration.GetValue("Nautilus:NetBox:BranchWaitSeconds", BranchWait.Default.Timeout.TotalSeconds)));

    /// <summary>True when NetBox answers the plugin's API root; false on its 404.</summary>
    public async Task<bool> IsInstalledAsync(CancellationToken cancellationToken)
    {
        using var response = await _main.Api.GetBranchingRootAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode;
    }

    /// <summary>Fails (exit 4, a startup error for the service) when <paramref name="mode"/> is on and the plugin is missing.</summary>
    public async Task<bool> IsEnabledAsync(BranchingMode mode, CancellationToken cancellationToken)
    {
        if (mode == BranchingMode.Off)
        {
            return false;
        }

        var installed = await IsInstalledAsync(cancellationToken).ConfigureAwait(false);
        if (!installed && mode == BranchingMode.On)
        {
            throw NautilusException.Unavailable(
                $"NAUTILUS_NETBOX_BRANCHING is on, but NetBox answers 404 at {RootUrl}: the netbox-branching plugin is not installed there. " +
                "Install the plugin, point NAUTILUS_NETBOX_URL at the NetBox that has it, or set NAUTILUS_NETBOX_BRANCHING=auto (main when the plugin is " +
                    "missing) or off.");
        }

        return installed;
    }

    public async Task<NetBoxBranch?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var page = await _main.Api.ListBranchesAsync(new Dictionary<string, object> { ["name"] = name }, cancellationToken).ConfigureAwait(false);
        return page.Results.FirstOrDefault(b => b.Name == name);
    }

    public Task<NetBoxBranch> GetAsync(int id, CancellationToken cancellationToken) => _main.Api.GetBranchAsync(id, cancellationToken);

    /// <summary>The branch named <paramref name="name"/>, created (status new, provisioning in the background) when missing.</summary>
    public async Task<(NetBoxBranch Branch, bool Created)> EnsureAsync(string name, string description, CancellationToken cancellationToken)
    {
        if (await FindAsync(name, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return (existing, false);
        }

        var created = await _main.Api.CreateBranchAsync(new Dictionary<string, object?> { ["name"] = name, ["description"] = description }, cancellationToken)
            .ConfigureAwait(false);
        Log.Created(logger, created.Name, created.SchemaId);
        return (created, true);
    }

    /// <summary>
    /// Polls the branch while a job works on it (new, provisioning, syncing, merging…) and answers it as soon as it is not
    /// busy. Still busy after <see cref="BranchWait.Timeout"/>: exit 4, and nothing was read or written in it.
    /// </summary>
    public async Task<NetBoxBranch> WaitWhileBusyAsync(NetBoxBranch branch, BranchWait wait, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + wait.Timeout;
        while (branch.IsBusy)
        {
            if (time.GetUtcNow() >= deadline)
            {
                throw NautilusException.Unavailable(
                    $"NetBox branch '{branch.Name}' ({branch.Url ?? RootUrl}) is still {branch.StatusValue} after " +
                        $"{wait.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s, and Nautilus works only in a ready branch. " +
                    "Check its jobs in NetBox (Branches → the branch → Jobs), then run again; or pass --netbox-branch main to work on main.");
            }

            Log.Waiting(logger, branch.Name, branch.StatusValue);
            await Task.Delay(wait.PollInterval, time, cancellationToken).ConfigureAwait(false);
            branch = await GetAsync(branch.Id, cancellationToken).ConfigureAwait(false);
        }

        return branch;
    }

    /// <summary>Every ChangeDiff of the branch: what changes in main when it is merged.</summary>
    public Task<List<ChangeDiff>> ChangesAsync(NetBoxBranch branch, CancellationToken cancellationToken) =>
        _main.ListAllAsync(
            (q, ct) => _main.Api.ListChangesAsync(q, ct),
            new Dictionary<string, object> { ["branch_id"] = branch.Id.ToString(CultureInfo.InvariantCulture), ["ordering"] = "id" },
            "branch changes",
            cancellationToken);

    /// <summary>merge/ with commit: a job to poll, or the conflicts NetBox found (409) unless they are acknowledged.</summary>
    public Task<BranchActionStart> StartMergeAsync(NetBoxBranch branch, bool acknowledgeConflicts, CancellationToken cancellationToken) =>
        StartAsync(branch, "merge", acknowledgeConflicts, cancellationToken);

    /// <summary>sync/ with commit: pulls main's changes into the branch.</summary>
    public Task<BranchActionStart> StartSyncAsync(NetBoxBranch branch, bool acknowledgeConflicts, CancellationToken cancellationToken) =>
        StartAsync(branch, "sync", acknowledgeConflicts, cancellationToken);

    private async Task<BranchActionStart> StartAsync(NetBoxBranch branch, string action, bool acknowledgeConflicts, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, object?> { ["commit"] = true, ["acknowledge_conflicts"] = acknowledgeConflicts };
        using var response = action == "merge"
            ? await _main.Api.MergeBranchAsync(branch.Id, body, cancellationToken).ConfigureAwait(false)
            : await _main.Api.SyncBranchAsync(branch.Id, body, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (response.IsSuccessStatusCode)
            {
                var job = JsonSerializer.Deserialize<NetBoxJob>(text, NetBoxSnapshot.JsonOptions)!;
                Log.JobStarted(logger, action, branch.Name, job.Id);
                return new BranchActionStart(job, [], null);
            }

            // The error handler passes only a sync/merge 409 through: the conflicts are the answer.
            var conflicts = JsonSerializer.Deserialize<BranchConflictResponse>(text, NetBoxSnapshot.JsonOptions)!;
            return new BranchActionStart(null, conflicts.Conflicts, conflicts.Detail);
        }
        catch (JsonException ex)
        {
            throw NautilusException.Unavailable($"NetBox answered {action}/ of branch '{branch.Name}' with {(int)response.StatusCode} and a body Nautilus " +
                $"cannot read ({ex.Message}). Check that {RootUrl} is the netbox-branching plugin.", ex);
        }
    }

    /// <summary>Polls a job until it is completed, errored or failed; still running after <paramref name="timeout"/>: exit 4 (the job id lets a retry
    /// resume).</summary>
    public async Task<NetBoxJob> WaitForJobAsync(int jobId, TimeSpan pollInterval, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        var job = await _main.Api.GetJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        while (!job.IsFinished)
        {
            if (time.GetUtcNow() >= deadline)
            {
                throw NautilusException.Unavailable($"NetBox job {jobId} ({job.Name}) is still {job.StatusValue} after " +
                    $"{timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; it is polled again on the next attempt ({job.DisplayUrl ?? job.Url}).");
            }

            await Task.Delay(pollInterval, time, cancellationToken).ConfigureAwait(false);
            job = await _main.Api.GetJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        }

        return job;
    }

    public async Task DeleteAsync(NetBoxBranch branch, CancellationToken cancellationToken)
    {
        await _main.Api.DeleteBranchAsync(branch.Id, cancellationToken).ConfigureAwait(false);
        Log.Deleted(logger, branch.Name);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 700, Level = LogLevel.Information,
            Message = "Created NetBox branch {Branch} (schema {SchemaId}); NetBox provisions it in the background")]
        public static partial void Created(ILogger logger, string branch, string schemaId);

        [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "Waiting for NetBox branch {Branch}: it is {Status}")]
        public static partial void Waiting(ILogger logger, string branch, string status);

        [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "Started {Action} of NetBox branch {Branch}: job {JobId}")]
        public static partial void JobStarted(ILogger logger, string action, string branch, int jobId);

        [LoggerMessage(EventId = 703, Level = LogLevel.Information, Message = "Deleted NetBox branch {Branch}")]
        public static partial void Deleted(ILogger logger, string branch);
    }
}

/// <summary>Which NetBox data a command works on: a branch, or main, and why (said on stderr and in JSON output).</summary>
public sealed record NetBoxBranchChoice(NetBoxBranch? Branch, string Reason)
{
    public const string Auto = "auto";
    public const string MainName = "main";

    /// <summary>The branch's name, or "main".</summary>
    public string Name => Branch?.Name ?? MainName;

    /// <summary>True when branching was considered at all (the plugin answered, or a branch was asked for).</summary>
    public bool Considered { get; init; } = true;
}

/// <summary>
/// Chooses the data a command works on (--netbox-branch NAME|auto|main, default auto): auto is the work package's
/// branch when it exists and is neither merged nor archived, else main. A busy branch is waited for; a branch is
/// never created here (wp init and the branch-created webhook create them).
/// </summary>
public sealed class NetBoxBranchSelector(NetBoxBranching branching, BranchingMode mode, BranchWait wait)
{
    public async Task<NetBoxBranchChoice> SelectAsync(string? requested, string? workPackage, CancellationToken cancellationToken)
    {
        requested = string.IsNullOrWhiteSpace(requested) ? NetBoxBranchChoice.Auto : requested.Trim();
        var explicitName = requested is not (NetBoxBranchChoice.Auto or NetBoxBranchChoice.MainName);
        if (mode == BranchingMode.Off)
        {
            return explicitName
                ? throw NautilusException.Usage($"--netbox-branch {requested} asks for a NetBox branch, but NAUTILUS_NETBOX_BRANCHING is off. Set it to auto " +
                    $"or on, or pass --netbox-branch main.")
                : new NetBoxBranchChoice(null, "NAUTILUS_NETBOX_BRANCHING=off") { Considered = false };
        }

        if (requested == NetBoxBranchChoice.MainName && mode == BranchingMode.Auto)
        {
            return new NetBoxBranchChoice(null, "--netbox-branch main");
        }

        if (!await branching.IsEnabledAsync(mode, cancellationToken).ConfigureAwait(false))
        {
            return explicitName
                ? throw NautilusException.Unavailable($"--netbox-branch {requested} asks for a NetBox branch, but NetBox answers 404 at {branching.RootUrl}: " +
                    $"the netbox-branching plugin is not installed. Pass --netbox-branch main, or point NAUTILUS_NETBOX_URL at the NetBox that has the plugin.")
                : new NetBoxBranchChoice(null, "the netbox-branching plugin is not installed") { Considered = false };
        }

        if (requested == NetBoxBranchChoice.MainName)
        {
            return new NetBoxBranchChoice(null, "--netbox-branch main");
        }

        var name = explicitName ? requested : workPackage;
        if (name is null)
        {
            return new NetBoxBranchChoice(null, "no work package to take a branch name from");
        }

        var branch = await branching.FindAsync(name, cancellationToken).ConfigureAwait(false);
        if (branch is null)
        {
            return explicitName
                ? throw NautilusException.InvalidData($"NetBox ({branching.RootUrl}) has no branch named '{name}'. Create the work package's branch with " +
                    $"'nautilus wp init <wp>' (or by pushing its GitLab branch), or pass --netbox-branch main.")
                : new NetBoxBranchChoice(null, $"NetBox has no branch named '{name}'");
        }

        branch = await branching.WaitWhileBusyAsync(branch, wait, cancellationToken).ConfigureAwait(false);
        if (branch.IsReady)
        {
            return new NetBoxBranchChoice(branch, explicitName ? "--netbox-branch" : $"the branch of work package {name}");
        }

        if (branch.IsClosed)
        {
            return explicitName
                ? throw NautilusException.InvalidData($"NetBox branch '{name}' is {branch.StatusValue}: its changes are in main now. Pass --netbox-branch " +
                    $"main (or auto).")
                : new NetBoxBranchChoice(null, $"NetBox branch '{name}' is {branch.StatusValue}, its changes are in main");
        }

        throw NautilusException.Unavailable(
            $"NetBox branch '{name}' ({branch.Url}) is {branch.StatusValue}, and Nautilus works only in a ready branch. " +
            (branch.StatusValue == "pending-migrations" ? "A NetBox administrator must apply its migrations (the branch's Migrate action); "
                : "See the branch's jobs in NetBox for what failed; ") +
            "then run again, or pass --netbox-branch main to work on main.");
    }
}
