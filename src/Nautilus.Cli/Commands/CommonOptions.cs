using System.CommandLine;
using Nautilus.Core.Planning;

namespace Nautilus.Cli.Commands;

/// <summary>How a command reads NetBox.</summary>
internal enum NetBoxUse
{
    /// <summary>Never: no NetBox options.</summary>
    None,

    /// <summary>Only a live NetBox (it writes, or needs what an export lacks).</summary>
    Live,

    /// <summary>A live NetBox or an export file (--source), one or the other.</summary>
    LiveOrExport,

    /// <summary>Both at once: objects from the export file, a live NetBox for writes or links.</summary>
    LiveAndExport,
}

/// <summary>Options shared by many commands, defined once so every command spells them the same.</summary>
internal static class CommonOptions
{
    public static readonly Option<string?> NetBoxUrl = new("--netbox-url")
    {
        Description = "NetBox base URL (default NAUTILUS_NETBOX_URL). The token comes from NAUTILUS_NETBOX_TOKEN or Vault, never from the command line.",
    };

    public static readonly Option<string?> NetBoxBranch = new("--netbox-branch")
    {
        Description = "Which NetBox data to work on when NetBox has the netbox-branching plugin: auto (default: the work package's branch while it is open, " +
            "else main), main, or a branch name. NAUTILUS_NETBOX_BRANCHING=auto|on|off decides whether branches are used at all.",
    };

    public static readonly Option<string?> Source = new("--source")
    {
        Description = "Read NetBox objects from an export file (nautilus netbox export) instead of a live NetBox.",
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Log debug detail to stderr.",
        Recursive = true,
    };

    /// <summary>The NetBox options of a command that reads NetBox as <paramref name="use"/> says (none when it does not).</summary>
    public static void AddNetBox(Command command, NetBoxUse use)
    {
        if (use == NetBoxUse.None)
        {
            return;
        }

        command.Options.Add(NetBoxUrl);
        command.Options.Add(NetBoxBranch);
        if (use == NetBoxUse.Live)
        {
            return;
        }

        command.Options.Add(Source);
    }

    public static Option<string?> Wp() => new("--wp")
    {
        Description = "Work package (default: from the branch feature/<wp>: CI_MERGE_REQUEST_SOURCE_BRANCH_NAME, CI_COMMIT_BRANCH, then git).",
    };

    public static Option<string> Format(params string[] formats)
    {
        var option = new Option<string>("--format")
        {
            Description = $"Output format: {string.Join(", ", formats)}.",
            DefaultValueFactory = _ => formats[0],
        };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }

    public static Option<bool> DryRun() => new("--dry-run")
    {
        Description = "Print every change that would be made, and make none.",
    };

    /// <summary>
    /// The folder a command reads the generated layout from (iac deploy, drift): --dir/-d. --out/-o was its name once, but
    /// on iac generate --out is where code is written; it is still accepted here, hidden, with one warning naming --dir,
    /// so existing pipelines keep working.
    /// </summary>
    public sealed class LayoutDirOptions(string description)
    {
        public Option<string?> Dir { get; } = new("--dir", "-d") { Description = description, HelpName = "DIR" };

        public Option<string?> DeprecatedOut { get; } = new("--out", "-o") { Hidden = true };

        public void AddTo(Command command)
        {
            command.Options.Add(Dir);
            command.Options.Add(DeprecatedOut);
            command.Validators.Add(r =>
            {
                if (r.GetResult(Dir) is { Implicit: false } && r.GetResult(DeprecatedOut) is { Implicit: false })
                {
                    r.AddError("--out is the old name of --dir on this command; give --dir only.");
                }
            });
        }

        /// <summary>The folder given (null: the command's default), warning once on stderr when it came as --out.</summary>
        public async Task<string?> ReadAsync(ParseResult result, TextWriter error)
        {
            if (result.GetResult(DeprecatedOut) is { Implicit: false })
            {
                await error.WriteLineAsync($"warning: --out is deprecated on '{result.CommandResult.Command.Name}', which reads the generated layout rather " +
                    $"than writing it; use --dir (-d) instead.").ConfigureAwait(false);
                return result.GetValue(DeprecatedOut);
            }

            return result.GetValue(Dir);
        }
    }

    /// <summary>The selection filters of docs/design.md §2.</summary>
    public sealed class SelectionOptions
    {
        public Option<string[]> Wave { get; } = new("--wave")
        {
            Description = "Only these waves (repeat or comma-separate).",
            AllowMultipleArgumentsPerToken = false,
        };

        public Option<string?> Priority { get; } = new("--priority") { Description = "Only objects tagged priority:<high|medium|low>." };

        public Option<string?> Sprint { get; } = new("--sprint") { Description = "Only objects tagged sprint:<s>." };

        public Option<string?> Sequence { get; } = new("--sequence") { Description = "Only objects whose deployment_sequence is in A-B (inclusive)." };

        public void AddTo(Command command)
        {
            command.Options.Add(Wave);
            command.Options.Add(Priority);
            command.Options.Add(Sprint);
            command.Options.Add(Sequence);
        }

        public Selection Read(ParseResult result) => Selection.Parse(
            result.GetValue(Wave), result.GetValue(Priority), result.GetValue(Sprint), result.GetValue(Sequence));
    }
}
