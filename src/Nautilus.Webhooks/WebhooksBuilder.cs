using Microsoft.Extensions.DependencyInjection.Extensions;
using Nautilus.Core;
using Nautilus.Core.Configuration;
using Nautilus.Core.GitLab;
using Nautilus.Core.Http;
using Nautilus.Core.NetBox;
using Nautilus.Core.Secrets;
using Nautilus.Core.Vault;
using Nautilus.Webhooks.Endpoints;
using Nautilus.Webhooks.Handlers;
using Nautilus.Webhooks.Queue;
using Nautilus.Webhooks.Worker;
using Npgsql;
using Prometheus;
using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;

namespace Nautilus.Webhooks;

/// <summary>The service's composition root: configuration, logging, store, worker, handlers, endpoints.</summary>
public static partial class WebhooksBuilder
{
    /// <param name="environment">Where the NAUTILUS_* variables are read (the process's unless a test passes its own).</param>
    public static WebApplicationBuilder AddNautilusWebhooks(this WebApplicationBuilder builder, string[] args, IEnvironment? environment = null)
    {
        // The contract's NAUTILUS_* variables (docs/design.md §9) map onto Nautilus:* keys through the same map as the
        // CLI's; command-line options stay highest.
        builder.Configuration.AddNautilusVariables(environment ?? ProcessEnvironment.Instance);
        builder.Configuration.AddCommandLine(args);

        var services = builder.Services;
        services.AddSerilog((provider, logger) => logger
            .MinimumLevel.Is(Enum.TryParse<LogEventLevel>(provider.GetRequiredService<IConfiguration>()["Nautilus:Webhooks:LogLevel"], true, out var level)
                ? level : LogEventLevel.Information)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
            .MinimumLevel.Override("Polly", LogEventLevel.Warning)
            .Enrich.FromLogContext()

            // "Hosting failed to start" repeats, with a stack trace, the cause Program.cs reports in one line.
            .Filter.ByExcluding(e => e.Properties.TryGetValue("EventId", out var id)
                && id.ToString().Contains("HostedServiceStartupFaulted", StringComparison.Ordinal))
            .WriteTo.Console(new RedactingFormatter(new RenderedCompactJsonFormatter(), provider.GetRequiredService<SecretRedactor>()),
                standardErrorFromLevel: LogEventLevel.Verbose));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SecretRedactor>();

        // One secret source with the CLI (docs/design.md §9): Vault when VAULT_ADDR is set, never a fallback to the
        // NAUTILUS_* variables, with its token renewed before expiry in the background; else those variables.
        if (!services.Any(d => d.ServiceType == typeof(ISecretSource)))
        {
            services.AddSecretSource(builder.Configuration, WebhookOptions.UpstreamResilienceFrom(builder.Configuration));
            if (services.UsesVault())
            {
                services.AddVaultTokenRenewal();
            }
        }
        services.AddSingleton(provider => WebhookOptions.From(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton<IDeliveryStore>(provider =>
        {
            var options = provider.GetRequiredService<WebhookOptions>();
            var time = provider.GetRequiredService<TimeProvider>();
            return options.IsPostgres
                ? new PostgresDeliveryStore(NpgsqlDataSource.Create(PostgresDeliveryStore.ConnectionStringOf(options.Store)), time)
                : new SqliteDeliveryStore(options.Store, time, provider.GetRequiredService<ILogger<SqliteDeliveryStore>>(), options.SqliteSynchronous);
        });
        services.AddSingleton<QueueSignal>();
        services.AddSingleton<WebhookMetrics>();
        services.AddSingleton<WebhookReceiver>();
        services.AddNetBox(provider => NetBoxConnection.OptionsFrom(provider.GetRequiredService<WebhookOptions>()));
        services.AddGitLab(provider =>
            GitLabConnection.OptionsFrom(provider.GetRequiredService<WebhookOptions>(), provider.GetRequiredService<ISecretSource>()));
        services.AddSingleton<NetBoxConnection>();
        services.AddSingleton(provider => new GitLabConnection(
            provider.GetRequiredService<WebhookOptions>().GitLabUrl is null ? null : provider.GetRequiredService<GitLabClient>()));
        services.AddSingleton<NetBoxBranches>();
        services.AddSingleton<WorkPackageDocuments>();
        services.AddSingleton<MergeRequestNotes>();
        services.AddSingleton<WorkPackageManifests>();
        services.AddSingleton<DeploymentNotes>();
        services.AddSingleton<BranchCreatedHandler>();
        services.AddSingleton<MergeHandler>();
        services.AddSingleton<DeployHandler>();
        services.AddSingleton<DeliveryDispatcher>();

        // Hosted services start in order: the store (schema, reclaimed leases, required secret) before the worker.
        services.AddHostedService<StartupChecks>();
        services.AddHostedService<DeliveryWorker>();
        return builder;
    }

    public static WebApplication UseNautilusWebhooks(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<WebhookOptions>();
        var metrics = app.Services.GetRequiredService<WebhookMetrics>();
        var store = app.Services.GetRequiredService<IDeliveryStore>();
        metrics.Registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            try
            {
                foreach (var (status, count) in await store.CountByStatusAsync(cancellationToken).ConfigureAwait(false))
                {
                    metrics.QueueDepth.WithLabels(status).Set(count);
                }
            }
            catch (StoreUnavailableException)
            {
                // The depth keeps its last value; /readyz reports the store.
            }
        });

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Nautilus.Webhooks");
        app.Lifetime.ApplicationStarted.Register(() => Log.Started(
            logger,
            typeof(WebhooksBuilder).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute),
                false) is [System.Reflection.AssemblyInformationalVersionAttribute v, ..] ? v.InformationalVersion : "unknown",
            string.Join(", ", app.Urls),
            DescribeStore(options),
            options.SyncOn.ToString().ToLowerInvariant()));
        app.Lifetime.ApplicationStopping.Register(() => Log.Stopping(logger));
        app.Lifetime.ApplicationStopped.Register(() => Log.Stopped(logger));

        app.MapGitLabWebhooks();
        app.MapHealth();
        app.MapMetrics("/metrics", metrics.Registry);
        app.MapDeliveryAdmin(options.AdminToken);
        return app;
    }

    /// <summary>Where deliveries are kept, without the password: "PostgreSQL host:port/database" or "SQLite /full/path".</summary>
    public static string DescribeStore(WebhookOptions options)
    {
        if (!options.IsPostgres)
        {
            return "SQLite " + Path.GetFullPath(options.Store);
        }

        var connection = new NpgsqlConnectionStringBuilder(PostgresDeliveryStore.ConnectionStringOf(options.Store));
        return $"PostgreSQL {connection.Host}:{connection.Port}/{connection.Database}";
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information,
            Message = "nautilus-webhooks {Version} listening on {Urls}; store {Store}; NetBox sync on {SyncOn}")]
        public static partial void Started(Microsoft.Extensions.Logging.ILogger logger, string version, string urls, string store, string syncOn);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information,
            Message = "Stopping: no new deliveries are taken; running jobs finish or keep their checkpoint")]
        public static partial void Stopping(Microsoft.Extensions.Logging.ILogger logger);

        [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Stopped")]
        public static partial void Stopped(Microsoft.Extensions.Logging.ILogger logger);
    }

    /// <summary>Fails startup, naming what to set, rather than answering 401 to every delivery or losing them.</summary>
    private sealed class StartupChecks(
        IDeliveryStore store,
        ISecretSource secrets,
        SecretRedactor redactor,
        WebhookOptions options,
        NetBoxConnection netBox,
        TimeProvider time,
        ILogger<StartupChecks> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (await secrets.GetAsync(SecretName.WebhookSecret, cancellationToken).ConfigureAwait(false) is not { Length: > 0 })
            {
                throw NautilusException.Usage($"{secrets.Describe(SecretName.WebhookSecret)} is not set: the service needs the webhook's secret token " +
                    $"(comma-separated to accept several during rotation). Set it to the Secret token of the GitLab webhook.");
            }

            if (await secrets.GetAsync(SecretName.WebhookSigningToken, cancellationToken).ConfigureAwait(false) is { Length: > 0 } signingToken
                && WebhookAuthentication.SigningTokenProblem(signingToken) is { } problem)
            {
                throw NautilusException.Usage($"{secrets.Describe(SecretName.WebhookSigningToken)}: {problem}.");
            }

            redactor.Register(options.AdminToken);
            await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
            await CheckBranchingAsync(cancellationToken).ConfigureAwait(false);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        /// <summary>
        /// NAUTILUS_NETBOX_BRANCHING=on and NetBox answers 404 for the plugin: a startup error naming the URL, never a
        /// silent write to main. A NetBox that cannot be reached now is checked again by every job.
        /// </summary>
        private async Task CheckBranchingAsync(CancellationToken cancellationToken)
        {
            if (options.Branching != Core.NetBox.BranchingMode.On)
            {
                return;
            }

            var branching = new Core.NetBox.NetBoxBranching(await netBox.GetAsync(cancellationToken).ConfigureAwait(false), time, logger);
            bool installed;
            try
            {
                installed = await branching.IsInstalledAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (NautilusException.Find(ex) is { Code: not ExitCode.Usage } reason)
            {
                logger.LogWarning("Could not check for the netbox-branching plugin at {Url} ({Reason}); every job checks again", branching.RootUrl,
                    reason.Message);
                return;
            }

            if (!installed)
            {
                throw NautilusException.Unavailable($"NAUTILUS_NETBOX_BRANCHING is on, but NetBox answers 404 at {branching.RootUrl}: the netbox-branching " +
                    $"plugin is not installed there. Install it, or set NAUTILUS_NETBOX_BRANCHING=auto or off.");
            }
        }
    }

    /// <summary>Every log line passes the redactor: no secret the process knows reaches the logs.</summary>
    private sealed class RedactingFormatter(ITextFormatter inner, SecretRedactor redactor) : ITextFormatter
    {
        public void Format(LogEvent logEvent, TextWriter output)
        {
            if (!redactor.HasSecrets)
            {
                inner.Format(logEvent, output);
                return;
            }

            using var buffer = new StringWriter();
            inner.Format(logEvent, buffer);
            output.Write(redactor.Redact(buffer.ToString()));
        }
    }
}
