using Nautilus.Core.Configuration;

namespace Nautilus.Cli.Mcp;

/// <summary>
/// How the MCP server runs commands: through the real CLI, in-process, with the server's environment and
/// its global options (--source, --netbox-url). Agents act through the same parser, validation, dry-runs
/// and exit codes as people do.
/// </summary>
internal sealed class McpSession(IEnvironment environment, IReadOnlyList<string> globalOptions, IEnumerable<KeyValuePair<string, string?>>? configuration)
{
    public IEnvironment Environment => environment;

    public async Task<CommandOutcome> RunAsync(IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var full = args.Concat(globalOptions).ToArray();
        var code = await CliHost.RunAsync(full, environment, stdout, stderr, configuration, cancellationToken).ConfigureAwait(false);
        return new CommandOutcome(full, code, stdout.ToString(), stderr.ToString());
    }
}

internal sealed record CommandOutcome(IReadOnlyList<string> Args, int ExitCode, string Out, string Err)
{
    public string CommandLine => "nautilus " + string.Join(' ', Args.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a));
}
