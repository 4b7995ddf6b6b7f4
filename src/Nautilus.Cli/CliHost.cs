using System.CommandLine;
using System.Runtime.CompilerServices;
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
using Nautilus.Core.Vault;
using Serilog;
using Serilog.Events;

namespace Nautilus.Cli;

/// <summary>
/// Composition of the CLI: the command tree, configuration, logging (stderr), and the one place where
/// failures become exit codes (docs/design.md §10).
/// </summary>
public static class CliHost
{
    /// <summary>Every command group; each file under Commands/ contributes one.</summary>
    private static readonly Func<CliContextFactory, Command>[] Groups =
    [
        WpCommands.Create,
        NetBoxCommands.Create,
        McpCommand.Create,
        IacCommands.Create,
        TemplatesCommands.Create,
        PipelineCommands.Create,
        PlanCommands.Create,
        DriftCommand.Create,
    ];

    public static RootCommand BuildRoot(CliContextFactory contexts)
    {
        var root = new RootCommand("Nautilus for GitLab: turns NetBox-planned work packages into Terraform, Ansible and GitLab child pipelines, posts plans " +
            "to merge requests, deploys wave by wave and keeps NetBox in step.");
        root.Options.Add(CommonOptions.Verbose);
        foreach (var group in Groups)
        {
            root.Subcommands.Add(group(contexts));
        }

        foreach (var (path, command) in Leaves(root, ""))
        {
            var use = NetBoxUses.TryGetValue(path, out var u)
                ? u
                : throw new InvalidOperationException($"Command '{path}' is missing from CliHost.NetBoxUses: say whether it reads NetBox.");
            CommonOptions.AddNetBox(command, use);
            if (!Examples.ContainsKey(path))
            {
                throw new InvalidOperationException($"Command '{path}' has no example in CliHost.Examples: every command's help shows one.");
            }
        }

        var help = root.Options.OfType<System.CommandLine.Help.HelpOption>().Single();
        help.Action = new ExamplesHelpAction((System.CommandLine.Help.HelpAction)help.Action!, Examples);
        return root;
    }

    /// <summary>What each command's --help ends with: command lines a person can copy (DocumentedCommandsTests parses them).</summary>
    internal static readonly Dictionary<string, string[]> Examples = new(StringComparer.Ordinal)
    {
        [""] = ["nautilus iac generate --wp dc1-refresh --source examples/netbox/dc1-refresh.json --out out"],
        ["wp"] = ["nautilus wp status dc1-refresh"],
        ["wp init"] = ["nautilus wp init dc1-refresh"],
        ["wp status"] = ["nautilus wp status dc1-refresh --format json", "nautilus wp status --source examples/netbox/dc1-refresh.json --wp dc1-refresh"],
        ["netbox"] = ["nautilus netbox export --wp dc1-refresh --out dc1-refresh.json"],
        ["netbox export"] = ["nautilus netbox export --wp dc1-refresh --out dc1-refresh.json"],
        ["netbox bootstrap"] = ["nautilus netbox bootstrap --wp dc1-refresh --dry-run"],
        ["netbox update-status"] = ["nautilus netbox update-status --tag wp:dc1-refresh --status active --wave database --dry-run",
            "nautilus netbox update-status --wp dc1-refresh --from planned --status active --id vm:12 --dry-run"],
        ["netbox create-vm"] = ["nautilus netbox create-vm --name dc1-app-04 --role application-server --cluster vsphere-prod-a --vcpus 4 --memory 8192 " +
            "--disk 51200 --wave application --dry-run"],
        ["mcp"] = ["nautilus mcp --source examples/netbox/dc1-refresh.json"],
        ["iac"] = ["nautilus iac generate --wp dc1-refresh --out ."],
        ["iac generate"] = ["nautilus iac generate --wp dc1-refresh --out .",
            "nautilus iac generate --wp dc1-refresh --source examples/netbox/dc1-refresh.json --provider aws --wave database --out out",
            "nautilus iac generate --wp dc1-refresh --out . --check"],
        ["iac deploy"] = ["nautilus iac deploy --wp dc1-refresh --dry-run", "nautilus iac deploy --wp dc1-refresh --wave network-foundation"],
        ["templates"] = ["nautilus templates list --templates my-templates"],
        ["templates list"] = ["nautilus templates list --templates my-templates"],
        ["pipeline"] = ["nautilus pipeline generate --wp dc1-refresh --out child-pipeline.yml"],
        ["pipeline generate"] = ["nautilus pipeline generate --wp dc1-refresh --manifest .nautilus/dc1-refresh/manifest.json --out child-pipeline.yml"],
        ["pipeline gate"] = ["nautilus pipeline gate power-upgrade --for dc1-refresh"],
        ["plan"] = ["nautilus plan comment --plans-dir plans --wp dc1-refresh --dry-run"],
        ["plan comment"] = ["nautilus plan comment --plans-dir plans --wp dc1-refresh --dry-run"],
        ["plan report"] = ["nautilus plan report --plan plans/database/plan.json --out plans/database/report.json"],
        ["drift"] = ["nautilus drift --wp dc1-refresh", "nautilus drift --wp dc1-refresh --state-dir states --format json"],
    };

    /// <summary>
    /// How each command reads NetBox, so it offers exactly the options it uses: a command that never reads NetBox
    /// has no --netbox-url or --source (an option accepted and then ignored misleads).
    /// </summary>
    private static readonly Dictionary<string, NetBoxUse> NetBoxUses = new(StringComparer.Ordinal)
    {
        ["wp init"] = NetBoxUse.Live,
        ["wp status"] = NetBoxUse.LiveOrExport,
        ["netbox export"] = NetBoxUse.LiveOrExport,
        ["netbox bootstrap"] = NetBoxUse.Live,
        ["netbox update-status"] = NetBoxUse.Live,
        ["netbox create-vm"] = NetBoxUse.Live,
        ["mcp"] = NetBoxUse.LiveAndExport,
        ["iac generate"] = NetBoxUse.LiveOrExport,
        ["iac deploy"] = NetBoxUse.LiveAndExport,
        ["templates list"] = NetBoxUse.None,
        ["pipeline generate"] = NetBoxUse.LiveOrExport,
        ["pipeline gate"] = NetBoxUse.LiveOrExport,
        ["plan comment"] = NetBoxUse.LiveAndExport,
        ["plan report"] = NetBoxUse.None,
        ["drift"] = NetBoxUse.LiveOrExport,
    };

    private static IEnumerable<(string Path, Command Command)> Leaves(Command command, string path)
    {
        if (command.Subcommands.Count == 0)
        {
            yield return (path, command);
            yield break;
        }

        foreach (var sub in command.Subcommands)
        {
            foreach (var leaf in Leaves(sub, path.Length == 0 ? sub.Name : path + " " + sub.Name))
            {
                yield return leaf;
            }
        }
    }

    public static async Task<int> RunAsync(
        string[] args,
        IEnvironment environment,
        TextWriter stdout,
        TextWriter stderr,
        IEnumerable<KeyValuePair<string, string?>>? configuration = null,
        CancellationToken cancellationToken = default,
        TimeProvider? time = null)
    {
        var redactor = new SecretRedactor();
        await using var output = new RedactingTextWriter(stdout, redactor);
        await using var error = new RedactingTextWriter(stderr, redactor);
        var factory = new CliContextFactory(environment, output, error, redactor, configuration) { Time = time ?? TimeProvider.System };
        var root = BuildRoot(factory);
        var parse = root.Parse(args);
        factory.Verbose = parse.GetValue(CommonOptions.Verbose);

        // --help wins over missing required options, as a person asking for help has not given them yet.
        if (parse.Errors.Count > 0 && parse.Action is not ExamplesHelpAction)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"error: {problem.Message}").ConfigureAwait(false);
            }

            await error.WriteLineAsync($"info: run '{string.Join(' ', CommandPath(parse))} --help' for usage.").ConfigureAwait(false);
            return (int)ExitCode.Usage;
        }

        // The component passes both when both of its inputs are set, so this is a warning naming the one used, not an error.
        if (NetBoxUses.GetValueOrDefault(string.Join(' ', CommandPath(parse).Skip(1))) == NetBoxUse.LiveOrExport
            && parse.GetResult(CommonOptions.Source) is { Implicit: false } && parse.GetResult(CommonOptions.NetBoxUrl) is { Implicit: false })
        {
            await error.WriteLineAsync($"warning: --source and --netbox-url both given: NetBox objects are read from the export file " +
                $"{parse.GetValue(CommonOptions.Source)}; --netbox-url is not used by this command.").ConfigureAwait(false);
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancel.Token)
                .ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            return await ReportAsync(ex, error).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            await factory.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Exit codes, mapped in this one place.</summary>
    internal static async Task<int> ReportAsync(Exception ex, TextWriter error)
    {
        switch (NautilusException.Find(ex) ?? ex)
        {
            case NautilusException known:
                await error.WriteLineAsync($"error: {known.Message}").ConfigureAwait(false);
                return (int)known.Code;
            case Refit.ApiException api:
                await error.WriteLineAsync($"error: {api.HttpMethod} {api.Uri} answered {(int)api.StatusCode} with a body nautilus cannot read " +
                    $"({api.Message}). Check that the URL points at the right service.").ConfigureAwait(false);
                return (int)ExitCode.UpstreamUnavailable;
            case OperationCanceledException:
                await error.WriteLineAsync("error: cancelled.").ConfigureAwait(false);
                return 130;
            default:
                await error.WriteLineAsync($"error: unexpected failure, which is a bug in nautilus; please report it with this trace:{Environment.NewLine}{ex}")
                    .ConfigureAwait(false);
                return (int)ExitCode.Unexpected;
        }
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, r.Command is RootCommand ? "nautilus" : r.Command.Name);
        }

        return names;
    }
}

/// <summary>Creates the context for the command being run, once, after parsing.</summary>
public sealed class CliContextFactory(
    IEnvironment environment,
    TextWriter output,
    TextWriter error,
    SecretRedactor redactor,
    IEnumerable<KeyValuePair<string, string?>>? overrides) : IAsyncDisposable
{
    private CliContext? _context;
    private Serilog.Core.Logger? _logger;
    private ILoggerFactory? _loggerFactory;
    private ServiceProvider? _services;

    /// <summary>Counts compositions (configuration and service provider builds) in the calling flow; tests set it.</summary>
    internal static readonly AsyncLocal<StrongBox<int>?> Compositions = new();

    public bool Verbose { get; set; }

    /// <summary>The clock of waits (a NetBox branch becoming ready); tests pass a fake one.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public IEnvironment Environment => environment;

    /// <summary>Configuration the host was started with (tests pass fast retry settings); the MCP server hands it on.</summary>
    public IEnumerable<KeyValuePair<string, string?>>? Overrides => overrides;

    internal CliContext Get()
    {
        if (_context is not null)
        {
            return _context;
        }

        // The composition root of the CLI (docs/design.md §1): one configuration and one service provider per
        // invocation, holding the secret source and the NetBox and GitLab clients every command resolves from it.
        if (Compositions.Value is { } compositions)
        {
            compositions.Value++;
        }

        var configuration = NautilusConfiguration.Build(environment, overrides);
        _logger = new LoggerConfiguration()
            .MinimumLevel.Is(Verbose ? LogEventLevel.Debug : LogEventLevel.Information)
            .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
            // Each retry is one info line of our own (Nautilus.Http.Retry); Polly's own records are detail for --verbose.
            .MinimumLevel.Override("Polly", Verbose ? LogEventLevel.Warning : LogEventLevel.Fatal)
            .WriteTo.Sink(new TextWriterSink(error, new CliLogFormatter()))
            .CreateLogger();
        _loggerFactory = new LoggerFactory().AddSerilog(_logger);

        var services = new ServiceCollection();
        services.AddSingleton(_loggerFactory);
        services.AddLogging();
        services.AddSingleton(redactor);
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(Time);

        // Vault when VAULT_ADDR is set, else the NAUTILUS_* variables.
        services.AddSecretSource(configuration, ResilienceSettings.FromConfiguration(configuration));

        // The clients are registered once; their options depend on the command line and on secrets read
        // asynchronously, so CliContext sets them (CliUpstreams) before it first resolves a client.
        services.AddSingleton<CliUpstreams>();
        services.AddNetBox(provider => provider.GetRequiredService<CliUpstreams>().NetBox);
        services.AddGitLab(provider => provider.GetRequiredService<CliUpstreams>().GitLab);
        _services = services.BuildServiceProvider();
        _context = new CliContext(environment, configuration, output, error, _loggerFactory, redactor, _services, Time);
        return _context;
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync().ConfigureAwait(false);
        }

        _loggerFactory?.Dispose();
        if (_logger is not null)
        {
            await _logger.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>The built-in help, then the command's examples.</summary>
internal sealed class ExamplesHelpAction(System.CommandLine.Help.HelpAction builtIn, IReadOnlyDictionary<string, string[]> examples)
    : System.CommandLine.Invocation.SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        var code = builtIn.Invoke(parseResult);
        var names = new List<string>();
        for (var r = parseResult.CommandResult; r is not null && r.Command is not RootCommand; r = r.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, r.Command.Name);
        }

        if (examples.TryGetValue(string.Join(' ', names), out var lines))
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine(lines.Length == 1 ? "Example:" : "Examples:");
            foreach (var line in lines)
            {
                output.WriteLine("  " + line);
            }

            output.WriteLine();
        }

        return code;
    }
}
