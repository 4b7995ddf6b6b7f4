using System.Globalization;
using Nautilus.Core;
using Nautilus.Core.Http;
using Nautilus.Core.NetBox;

namespace Nautilus.Webhooks;

/// <summary>When NetBox statuses flip: on the merge of the work package's MR, or per wave when its apply job succeeds.</summary>
public enum SyncOn
{
    Merge,
    Deploy,
}

/// <summary>The service's settings (docs/design.md §8 and §9), read and validated once at startup.</summary>
public sealed record WebhookOptions
{
    /// <summary>GitLab's largest webhook payload (docs/design.md §8.1).</summary>
    public const long DefaultMaxBodyBytes = 25L * 1024 * 1024;

    /// <summary>A SQLite file path, or a PostgreSQL connection string (Host=… or postgres://…).</summary>
    public string Store { get; init; } = "nautilus-webhooks.db";

    public SyncOn SyncOn { get; init; } = SyncOn.Deploy;

    /// <summary>
    /// SQLite's synchronous setting: FULL (default) fsyncs every commit before the 202; NORMAL survives a process
    /// crash (kill -9) but may lose the last acknowledged deliveries on power loss or a kernel crash.
    /// </summary>
    public string SqliteSynchronous { get; init; } = "FULL";

    public string BranchPrefix { get; init; } = "feature/";

    public long MaxBodyBytes { get; init; } = DefaultMaxBodyBytes;

    /// <summary>Bearer token of the admin endpoints; null turns them off.</summary>
    public string? AdminToken { get; init; }

    /// <summary>Standard Webhooks allows five minutes of clock skew before a signed delivery counts as a replay.</summary>
    public TimeSpan SignatureTolerance { get; init; } = TimeSpan.FromMinutes(5);

    public Uri? NetBoxUrl { get; init; }

    public string? GitLabUrl { get; init; }

    /// <summary>NAUTILUS_NETBOX_BRANCHING: work in netbox-branching branches (auto: when NetBox has the plugin).</summary>
    public BranchingMode Branching { get; init; } = BranchingMode.Auto;

    /// <summary>NAUTILUS_NETBOX_BRANCH_ON_CLOSE=delete: an MR closed without merging deletes its NetBox branch (default keep).</summary>
    public bool DeleteBranchOnClose { get; init; }

    /// <summary>How often a NetBox branch job (merge) is polled, and how long one attempt waits before the delivery is retried.</summary>
    public TimeSpan BranchJobPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan BranchJobTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Objects per bulk NetBox request, at most 500 like every Nautilus write (NetBox's bulk PATCH is all-or-none and
    /// bounded by DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB by default). Lower it for a NetBox whose gunicorn timeout is short.
    /// </summary>
    public int BulkChunkSize { get; init; } = NetBoxClient.MaxBulkChunk;

    /// <summary>
    /// The service's defaults of the Nautilus:Http:* keys the CLI reads too: fewer, shorter retries of one request,
    /// as the queue retries the whole job afterwards.
    /// </summary>
    public static ResilienceSettings DefaultUpstreamResilience { get; } = new() { MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(500),
        AttemptTimeout = TimeSpan.FromSeconds(60), MaxRetryAfter = TimeSpan.FromSeconds(10) };

    /// <summary>Retries of one NetBox, GitLab or Vault request (Nautilus:Http:*); the queue retries the job itself afterwards.</summary>
    public ResilienceSettings UpstreamResilience { get; init; } = DefaultUpstreamResilience;

    public WorkerOptions Worker { get; init; } = new();

    /// <summary>Processed deliveries are kept this long, so a resend within it is still recognised as a duplicate.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(30);

    public bool IsPostgres => IsPostgresConnection(Store);

    public static bool IsPostgresConnection(string store) =>
        store.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || store.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || store.Contains("Host=", StringComparison.OrdinalIgnoreCase)
        || store.Contains("Server=", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the Nautilus:* keys (NAUTILUS_* variables map onto them); every problem is reported at once.</summary>
    public static WebhookOptions From(IConfiguration configuration)
    {
        var problems = new List<string>();
        var section = configuration.GetSection("Nautilus:Webhooks");
        var worker = configuration.GetSection("Nautilus:Webhooks:Worker");

        var syncOn = SyncOn.Deploy;
        if (section["SyncOn"] is { Length: > 0 } sync && !Enum.TryParse(sync, ignoreCase: true, out syncOn))
        {
            problems.Add($"NAUTILUS_SYNC_ON is '{sync}'; use 'merge' or 'deploy'.");
        }

        Uri? netBoxUrl = null;
        if (configuration["Nautilus:NetBox:Url"] is { Length: > 0 } nb)
        {
            if (!NetBoxOptions.TryParseBaseUrl(nb, "NAUTILUS_NETBOX_URL", out netBoxUrl, out var problem))
            {
                problems.Add(problem);
            }
        }
        else
        {
            problems.Add("NAUTILUS_NETBOX_URL is not set; the service syncs NetBox and needs its root URL, e.g. https://netbox.example.com.");
        }

        var synchronous = (section["SqliteSynchronous"] is { Length: > 0 } sy ? sy : "FULL").ToUpperInvariant();
        if (synchronous is not ("FULL" or "NORMAL"))
        {
            problems.Add($"Nautilus:Webhooks:SqliteSynchronous is '{section["SqliteSynchronous"]}'; use FULL (durable on power loss) or NORMAL (durable on " +
                $"process crash only).");
        }

        var branching = BranchingMode.Auto;
        try
        {
            branching = NetBoxBranching.ModeFrom(configuration);
        }
        catch (NautilusException ex)
        {
            problems.Add(ex.Message);
        }

        var onClose = configuration["Nautilus:NetBox:BranchOnClose"]?.Trim().ToLowerInvariant();
        if (onClose is not (null or "" or "keep" or "delete"))
        {
            problems.Add($"NAUTILUS_NETBOX_BRANCH_ON_CLOSE is '{configuration["Nautilus:NetBox:BranchOnClose"]}'; use keep (the default) or delete.");
        }

        var prefix = configuration["Nautilus:BranchPrefix"] is { Length: > 0 } p ? p : "feature/";
        var defaults = new WorkerOptions();
        var options = new WebhookOptions
        {
            Store = section["Store"] is { Length: > 0 } store ? store : "nautilus-webhooks.db",
            SyncOn = syncOn,
            SqliteSynchronous = synchronous,
            BranchPrefix = prefix,
            MaxBodyBytes = Long(section, "MaxBodyBytes", DefaultMaxBodyBytes, 1024, problems),
            AdminToken = section["AdminToken"] is { Length: > 0 } admin ? admin : null,
            NetBoxUrl = netBoxUrl,
            GitLabUrl = configuration["Nautilus:GitLab:Url"] is { Length: > 0 } gl ? gl : null,
            BulkChunkSize = (int)Long(section, "BulkChunkSize", NetBoxClient.MaxBulkChunk, 1, problems, NetBoxClient.MaxBulkChunk),
            Branching = branching,
            DeleteBranchOnClose = onClose == "delete",
            BranchJobPollInterval = Duration(section, "BranchJobPollInterval", TimeSpan.FromSeconds(2), problems),
            BranchJobTimeout = Duration(section, "BranchJobTimeout", TimeSpan.FromMinutes(3), problems),
            Retention = Duration(section, "Retention", TimeSpan.FromDays(30), problems),
            UpstreamResilience = UpstreamResilienceFrom(configuration, problems),
            Worker = new WorkerOptions
            {
                Enabled = !string.Equals(worker["Enabled"], "false", StringComparison.OrdinalIgnoreCase),
                Concurrency = (int)Long(worker, "Concurrency", defaults.Concurrency, 1, problems),
                Lease = Duration(worker, "Lease", defaults.Lease, problems),
                Heartbeat = worker["Heartbeat"] is { Length: > 0 } ? Duration(worker, "Heartbeat", TimeSpan.Zero, problems) : null,
                JobTimeout = Duration(worker, "JobTimeout", defaults.JobTimeout, problems),
                PollInterval = Duration(worker, "PollInterval", defaults.PollInterval, problems),
                MaxAttempts = (int)Long(worker, "MaxAttempts", defaults.MaxAttempts, 1, problems),
                BaseDelay = Duration(worker, "BaseDelay", defaults.BaseDelay, problems),
                MaxDelay = Duration(worker, "MaxDelay", defaults.MaxDelay, problems),
            },
        };

        if (options.Worker.Lease <= TimeSpan.FromSeconds(1))
        {
            problems.Add("Nautilus:Webhooks:Worker:Lease must be longer than a second: a job holds its lease while it talks to NetBox and GitLab.");
        }
        else if (options.Worker.HeartbeatInterval <= TimeSpan.Zero || options.Worker.HeartbeatInterval > options.Worker.Lease / 2)
        {
            problems.Add($"Nautilus:Webhooks:Worker:Heartbeat is {options.Worker.HeartbeatInterval}; use more than zero and at most half the lease " +
                $"({options.Worker.Lease / 2}), so a renewal can fail once and the lease still hold.");
        }

        if (options.Worker.JobTimeout <= TimeSpan.Zero)
        {
            problems.Add("Nautilus:Webhooks:Worker:JobTimeout must be longer than zero.");
        }

        if (problems.Count > 0)
        {
            throw NautilusException.Usage("The webhook service is not configured correctly:\n- " + string.Join("\n- ", problems));
        }

        return options;
    }

    /// <summary>Nautilus:Http:* with the service's defaults; shared by the Vault client, which is composed before these options.</summary>
    public static ResilienceSettings UpstreamResilienceFrom(IConfiguration configuration, List<string>? problems = null)
    {
        try
        {
            return ResilienceSettings.FromConfiguration(configuration, DefaultUpstreamResilience);
        }
        catch (NautilusException ex) when (problems is not null)
        {
            problems.Add(ex.Message);
            return DefaultUpstreamResilience;
        }
    }

    private static long Long(IConfiguration section, string key, long fallback, long minimum, List<string> problems, long maximum = long.MaxValue)
    {
        var text = section[key];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < minimum || value > maximum)
        {
            problems.Add($"{SectionPath(section)}:{key} is '{text}'; use a whole number ≥ {minimum}{(maximum == long.MaxValue ? "" : $" and ≤ {maximum}")}.");
            return fallback;
        }

        return value;
    }

    private static TimeSpan Duration(IConfiguration section, string key, TimeSpan fallback, List<string> problems)
    {
        var text = section[key];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) || value < TimeSpan.Zero)
        {
            problems.Add($"{SectionPath(section)}:{key} is '{text}'; use a duration such as 00:00:05.");
            return fallback;
        }

        return value;
    }

    private static string SectionPath(IConfiguration section) => section is IConfigurationSection s ? s.Path : "Nautilus:Webhooks";
}

public sealed record WorkerOptions
{
    public bool Enabled { get; init; } = true;
    public int Concurrency { get; init; } = 4;

    /// <summary>
    /// How long a lease lasts without renewal: the running job's heartbeat renews it every
    /// <see cref="HeartbeatInterval"/>, so this is about how soon a dead replica's work is taken over.
    /// </summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a running job renews its lease; null means a third of <see cref="Lease"/>.</summary>
    public TimeSpan? Heartbeat { get; init; }

    public TimeSpan HeartbeatInterval => Heartbeat ?? Lease / 3;

    /// <summary>The longest a job may run (its heartbeat would keep the lease forever): it then fails and is retried.</summary>
    public TimeSpan JobTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle workers look for due retries and (PostgreSQL) deliveries another replica accepted.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public int MaxAttempts { get; init; } = 12;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(15);
}
