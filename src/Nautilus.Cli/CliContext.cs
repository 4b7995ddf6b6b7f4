using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nautilus.Cli.Commands;
using Nautilus.Core;
using Nautilus.Core.Configuration;
using Nautilus.Core.GitLab;
using Nautilus.Core.Http;
using Nautilus.Core.NetBox;
using Nautilus.Core.Secrets;

namespace Nautilus.Cli;

/// <summary>What a command needs from its host: configuration, CI variables, writers, logs and upstream clients.</summary>
internal sealed class CliContext(
    IEnvironment environment,
    IConfiguration configuration,
    TextWriter output,
    TextWriter error,
    ILoggerFactory loggerFactory,
    SecretRedactor redactor,
    IServiceProvider services,
    TimeProvider time)
{

    public IEnvironment Environment => environment;
    public IConfiguration Configuration => configuration;
    public CiEnvironment Ci { get; } = CiEnvironment.From(environment);

    /// <summary>
    /// The repository root a job works in: CI_PROJECT_DIR (where GitLab checks the project out and starts the job),
    /// else the working directory. A CI_PROJECT_DIR that does not exist here (a job replayed by a local runner that
    /// names /builds/… but runs in place) is not where the files are, so the working directory is taken.
    /// </summary>
    public string ProjectDirectory =>
        Ci.ProjectDir is { Length: > 0 } dir && Directory.Exists(Path.GetFullPath(dir, Environment.CurrentDirectory))
            ? Path.GetFullPath(dir, Environment.CurrentDirectory)
            : Environment.CurrentDirectory;
    public TextWriter Out => output;
    public TextWriter Error => error;
    public ILoggerFactory LoggerFactory => loggerFactory;
    public SecretRedactor Redactor => redactor;
    public ISecretSource Secrets { get; } = services.GetRequiredService<ISecretSource>();
    public TimeProvider Time => time;

    /// <summary>The NetBox data the command works on, once a NetBox client was made (null for an export file).</summary>
    public NetBoxBranchChoice? NetBoxBranch { get; private set; }

    public string BranchPrefix => configuration["Nautilus:BranchPrefix"] is { Length: > 0 } p ? p : "feature/";

    public ResilienceSettings Resilience => ResilienceSettings.FromConfiguration(configuration);

    public string ResolveWorkPackage(string? option) =>
        new WorkPackageResolver(Ci, BranchPrefix, configuration["Nautilus:Git:Branch"] is { } fixedBranch ? () => fixedBranch : null).Resolve(option);

    /// <summary>The current work package when one can be told, else null (for choosing a NetBox branch only).</summary>
    public string? TryResolveWorkPackage(string? option)
    {
        try
        {
            return ResolveWorkPackage(option);
        }
        catch (NautilusException ex) when (ex.Code == ExitCode.Usage)
        {
            return null;
        }
    }

    /// <summary>The export file when --source is given, else the live NetBox (in the branch --netbox-branch selects for <paramref
    /// name="workPackage"/>).</summary>
    /// <param name="keepUnknownFields">Keep every field NetBox sent (only `netbox export` writes them back); else objects are read lean.</param>
    public async Task<INetBoxSource> NetBoxSourceAsync(ParseResult result, string? workPackage, CancellationToken cancellationToken,
        bool keepUnknownFields = false)
    {
        if (result.GetValue(CommonOptions.Source) is { Length: > 0 } file)
        {
            var full = Path.GetFullPath(file, environment.CurrentDirectory);
            return new ExportFileSource(full, Relative(full), keepUnknownFields);
        }

        return new LiveNetBoxSource(await NetBoxClientAsync(result, workPackage, cancellationToken, keepUnknownFields).ConfigureAwait(false));
    }

    /// <summary>Whether a live NetBox is configured (--netbox-url or NAUTILUS_NETBOX_URL), whatever --source says.</summary>
    public bool HasLiveNetBox(ParseResult result) =>
        !string.IsNullOrWhiteSpace(result.GetValue(CommonOptions.NetBoxUrl) ?? configuration["Nautilus:NetBox:Url"]);

    /// <summary>
    /// A live NetBox client working where --netbox-branch (default auto) says for <paramref name="workPackage"/>: its
    /// NetBox branch while that is open, else main. Which one is said on stderr; a busy branch is waited for.
    /// </summary>
    public async Task<NetBoxClient> NetBoxClientAsync(ParseResult result, string? workPackage, CancellationToken cancellationToken,
        bool keepUnknownFields = false)
    {
        if (_selected is { } done && done.WorkPackage == workPackage)
        {
            return done.Client;
        }

        var main = await MainNetBoxClientAsync(result, cancellationToken, keepUnknownFields).ConfigureAwait(false);
        var choice = await new NetBoxBranchSelector(Branching(main), BranchingMode, BranchWait)
            .SelectAsync(result.GetValue(CommonOptions.NetBoxBranch), workPackage, cancellationToken).ConfigureAwait(false);
        UseBranch(choice);
        var client = choice.Branch is null ? main : main.InBranch(choice.Branch);
        _selected = (workPackage, client);
        return client;
    }

    private (string? WorkPackage, NetBoxClient Client)? _selected;

    /// <summary>Records (and says on stderr) which NetBox data the command works on.</summary>
    public void UseBranch(NetBoxBranchChoice choice)
    {
        NetBoxBranch = choice;
        var log = loggerFactory.CreateLogger("netbox");
        if (choice.Considered)
        {
            log.LogInformation("NetBox branch: {Branch} ({Reason})", choice.Branch is null ? "main" : $"{choice.Name} (schema {choice.Branch.SchemaId})",
                choice.Reason);
        }
        else
        {
            log.LogDebug("NetBox branch: main ({Reason})", choice.Reason);
        }
    }

    /// <summary>" in NetBox branch dc1" or " in NetBox main" when branching was considered; "" otherwise (messages as without the plugin).</summary>
    public string NetBoxScopeSuffix => NetBoxBranch is { Considered: true } choice
        ? choice.Branch is null ? " in NetBox main" : $" in NetBox branch {choice.Name}"
        : "";

    public BranchingMode BranchingMode => NetBoxBranching.ModeFrom(configuration);

    public BranchWait BranchWait => NetBoxBranching.WaitFrom(configuration);

    public NetBoxBranching Branching(NetBoxClient client) => new(client, time, loggerFactory.CreateLogger("netbox"));

    /// <summary>A live NetBox client on main, whatever --netbox-branch says (wp init and the plan note choose for themselves).</summary>
    public async Task<NetBoxClient> MainNetBoxClientAsync(ParseResult result, CancellationToken cancellationToken, bool keepUnknownFields = false)
    {
        var url = result.GetValue(CommonOptions.NetBoxUrl) ?? configuration["Nautilus:NetBox:Url"];
        if (string.IsNullOrWhiteSpace(url))
        {
            throw NautilusException.Usage("No NetBox: pass --netbox-url (or set NAUTILUS_NETBOX_URL), or --source FILE.json to read an export file.");
        }

        var origin = result.GetValue(CommonOptions.NetBoxUrl) is null ? "NAUTILUS_NETBOX_URL" : "--netbox-url";
        if (!NetBoxOptions.TryParseBaseUrl(url, origin, out var baseUrl, out var problem))
        {
            throw NautilusException.Usage(problem);
        }

        // Read now so a missing or unreadable token fails before any NetBox call; the client's handler
        // reads it again per request from the cache (and re-reads it after a 401/403: rotation).
        await Secrets.GetAsync(SecretName.NetBoxToken, cancellationToken).ConfigureAwait(false);
        services.GetRequiredService<CliUpstreams>().UseNetBox(new NetBoxOptions
        {
            BaseUrl = baseUrl,
            PageSize = configuration.GetValue("Nautilus:NetBox:PageSize", 1000),
            MaxConcurrency = configuration.GetValue("Nautilus:NetBox:MaxConcurrency", 4),
            Resilience = Resilience,
            KeepUnknownFields = keepUnknownFields,
        });
        return services.GetRequiredService<NetBoxClient>();
    }

    /// <summary>
    /// A GitLab client: NAUTILUS_GITLAB_URL (else CI_SERVER_URL) and the token from NAUTILUS_GITLAB_TOKEN or
    /// Vault as PRIVATE-TOKEN, else CI_JOB_TOKEN as JOB-TOKEN (see <see cref="GitLabOptions.ResolveAsync"/>).
    /// </summary>
    public async Task<GitLabClient> GitLabClientAsync(CancellationToken cancellationToken)
    {
        var upstreams = services.GetRequiredService<CliUpstreams>();
        if (!upstreams.HasGitLab)
        {
            var options = await GitLabOptions.ResolveAsync(configuration, Ci, Secrets, Resilience, cancellationToken).ConfigureAwait(false);
            redactor.Register(options.Token);
            upstreams.UseGitLab(options);
        }

        return services.GetRequiredService<GitLabClient>();
    }

    /// <summary>The GitLab project the command acts on: --project, else the MR's project, else CI_PROJECT_ID.</summary>
    public GitLabProjectRef GitLabProject(string? option) =>
        option is { Length: > 0 } ? GitLabProjectRef.Parse(option, "--project")
        : Ci.MergeRequestProjectId is { Length: > 0 } mrProject ? GitLabProjectRef.Parse(mrProject, "CI_MERGE_REQUEST_PROJECT_ID")
        : GitLabProjectRef.Parse(Ci.ProjectId, "CI_PROJECT_ID");

    private string Relative(string full)
    {
        var relative = Path.GetRelativePath(environment.CurrentDirectory, full);
        return relative.StartsWith("..", StringComparison.Ordinal) ? full : relative;
    }
}

/// <summary>
/// The options of the NetBox and GitLab clients registered once in the CLI's composition root (CliHost): they depend on
/// the command line and on secrets read asynchronously, so CliContext sets them before it first resolves a client.
/// </summary>
internal sealed class CliUpstreams
{
    private NetBoxOptions? _netBox;
    private GitLabOptions? _gitLab;

    public NetBoxOptions NetBox => _netBox ?? throw new InvalidOperationException("The NetBox client was resolved before CliContext set its options.");

    public GitLabOptions GitLab => _gitLab ?? throw new InvalidOperationException("The GitLab client was resolved before CliContext set its options.");

    public bool HasGitLab => _gitLab is not null;

    /// <summary>Sets the NetBox client's options; the client is one per invocation, so a second, different set is a bug.</summary>
    public void UseNetBox(NetBoxOptions options)
    {
        if (_netBox is not null && _netBox != options)
        {
            throw new InvalidOperationException($"The NetBox client of this invocation was made for {_netBox.BaseUrl} (keep unknown fields: " +
                $"{_netBox.KeepUnknownFields}); a command asked for another.");
        }

        _netBox = options;
    }

    public void UseGitLab(GitLabOptions options) => _gitLab ??= options;
}
