using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Nautilus.Core;
using Nautilus.Core.NetBox;
using Nautilus.Core.Planning;

namespace Nautilus.Cli.Commands;

/// <summary>`nautilus wp …`: work-package commands.</summary>
internal static class WpCommands
{
    public static Command Create(CliContextFactory contexts)
    {
        var wp = new Command("wp", "Work packages: start one, and the status of its waves and objects.");
        wp.Subcommands.Add(Init(contexts));
        wp.Subcommands.Add(Status(contexts));
        return wp;
    }

    private static Command Init(CliContextFactory contexts)
    {
        var name = new Argument<string>("wp") { Description = "The new work package's name (a-z, 0-9, '-')." };
        var dryRun = CommonOptions.DryRun();
        var command = new Command("init",
            "Start a work package: the git branch feature/<wp> (switched to), docs/work-packages/<wp>.md, and the NetBox tag wp:<wp>. Safe to run again: " +
            "what exists is kept.");
        command.Arguments.Add(name);
        command.Options.Add(dryRun);
        command.SetAction(async (result, ct) =>
        {
            var context = contexts.Get();
            var workPackage = WorkPackage.Validate(result.GetValue(name)!, "argument");
            var isDryRun = result.GetValue(dryRun);
            var branch = WorkPackage.Branch(workPackage, context.BranchPrefix);
            var git = new Git(context.Environment.CurrentDirectory);
            var root = await git.RunAsync(["rev-parse", "--show-toplevel"], ct).ConfigureAwait(false) is { Code: 0 } top
                ? top.Out.Trim()
                : throw NautilusException.Usage($"{context.Environment.CurrentDirectory} is not inside a git repository. Run 'nautilus wp init' in the " +
                    $"infrastructure repository's checkout.");

            // NetBox first: a missing token or URL should stop us before the repository changes.
            var (client, netBoxBranchAction) = await NetBoxBranchAsync(context, result, workPackage, branch, isDryRun, ct).ConfigureAwait(false);
            var tagName = WorkPackage.TagName(workPackage);
            var ensured = await client.EnsureWorkPackageTagAsync(workPackage, $"Work package {workPackage} (nautilus wp init)", isDryRun, ct)
                .ConfigureAwait(false);
            var tagAction = ensured.Outcome switch
            {
                TagOutcome.Exists => $"exists   NetBox tag {tagName} (slug {ensured.Tag!.Slug})",
                TagOutcome.Created => $"created  NetBox tag {tagName} (slug {ensured.Tag!.Slug})",
                _ => $"would create NetBox tag {tagName} (slug {WorkPackage.TagSlug(workPackage)})",
            };

            var current = (await git.RunAsync(["rev-parse", "--abbrev-ref", "HEAD"], ct).ConfigureAwait(false)).Out.Trim();
            var exists = (await git.RunAsync(["rev-parse", "--verify", "--quiet", "refs/heads/" + branch], ct).ConfigureAwait(false)).Code == 0;
            string branchAction;
            if (current == branch)
            {
                branchAction = $"exists   branch {branch} (checked out)";
            }
            else if (isDryRun)
            {
                branchAction = exists ? $"would switch to branch {branch}" : $"would create branch {branch} from {current} and switch to it";
            }
            else
            {
                var switched = await git.RunAsync(exists ? ["switch", branch] : ["switch", "-c", branch], ct).ConfigureAwait(false);
                if (switched.Code != 0)
                {
                    throw NautilusException.Usage($"git could not switch to {branch}: {switched.Err.Trim()}. Commit or stash your changes and run 'nautilus " +
                        $"wp init {workPackage}' again.");
                }

                branchAction = exists ? $"switched to branch {branch}" : $"created  branch {branch} from {current}";
            }

            var docPath = Path.Combine(root, WorkPackage.DocPath(workPackage));
            string docAction;
            if (File.Exists(docPath))
            {
                docAction = $"exists   {WorkPackage.DocPath(workPackage)}";
            }
            else if (isDryRun)
            {
                docAction = $"would write {WorkPackage.DocPath(workPackage)}";
            }
            else
            {
                await Nautilus.Core.AtomicFile.WriteAllTextAsync(docPath, WorkPackageDoc.Render(workPackage, branch), ct).ConfigureAwait(false);
                docAction = $"wrote    {WorkPackage.DocPath(workPackage)}";
            }

            foreach (var line in new[] { netBoxBranchAction, tagAction, branchAction, docAction }.OfType<string>())
            {
                await context.Out.WriteLineAsync(line).ConfigureAwait(false);
            }

            if (!isDryRun)
            {
                await context.Out.WriteLineAsync($"Next: tag the work package's objects in NetBox (or list selectors in the doc's front matter), then 'git " +
                    $"add {WorkPackage.DocPath(workPackage)} && git commit && git push -u origin {branch}'.").ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// With netbox-branching, the work package's NetBox branch (named after it) is created here, waited for until ready,
    /// and its tag made inside it; without the plugin, or with --netbox-branch main, everything happens in main.
    /// </summary>
    private static async Task<(NetBoxClient Client, string? Action)> NetBoxBranchAsync(CliContext context, ParseResult result, string workPackage,
        string gitBranch, bool dryRun, CancellationToken cancellationToken)
    {
        var requested = result.GetValue(CommonOptions.NetBoxBranch);
        if (requested is { Length: > 0 } named && named != NetBoxBranchChoice.Auto && named != workPackage)
        {
            // main, or another branch chosen on purpose: nothing to create.
            return (await context.NetBoxClientAsync(result, workPackage, cancellationToken).ConfigureAwait(false), null);
        }

        var main = await context.MainNetBoxClientAsync(result, cancellationToken).ConfigureAwait(false);
        var branching = context.Branching(main);
        if (!await branching.IsEnabledAsync(context.BranchingMode, cancellationToken).ConfigureAwait(false))
        {
            context.UseBranch(new NetBoxBranchChoice(null,
                context.BranchingMode == BranchingMode.Off ? "NAUTILUS_NETBOX_BRANCHING=off"
                : "the netbox-branching plugin is not installed") { Considered = false });
            return (main, null);
        }

        var existing = await branching.FindAsync(workPackage, cancellationToken).ConfigureAwait(false);
        if (existing is null && dryRun)
        {
            context.UseBranch(new NetBoxBranchChoice(null, "dry run: the branch would be created"));
            return (main, $"would create NetBox branch {workPackage}");
        }

        var link = context.Ci.ProjectUrl is { Length: > 0 } project ? $" ({project}/-/tree/{gitBranch})" : "";
        var (branch, created) = existing is null
            ? await branching.EnsureAsync(workPackage, $"Work package {workPackage}: GitLab branch {gitBranch}{link} (nautilus wp init)", cancellationToken)
                .ConfigureAwait(false)
            : (existing, false);
        branch = await branching.WaitWhileBusyAsync(branch, context.BranchWait, cancellationToken).ConfigureAwait(false);
        if (!branch.IsReady)
        {
            throw branch.IsClosed
                ? NautilusException.InvalidData($"NetBox branch '{workPackage}' is {branch.StatusValue}: this work package was merged already. Start a new " +
                    $"work package under another name, or delete the branch in NetBox to reuse the name.")
                : NautilusException.Unavailable($"NetBox branch '{workPackage}' ({branch.Url}) is {branch.StatusValue}, not ready. See its jobs in NetBox, " +
                    $"then run 'nautilus wp init {workPackage}' again.");
        }

        context.UseBranch(new NetBoxBranchChoice(branch, created ? "created by wp init" : $"the branch of work package {workPackage}"));
        return (main.InBranch(branch), $"{(created ? "created " : "exists  ")} NetBox branch {workPackage} (schema {branch.SchemaId})");
    }

    private static Command Status(CliContextFactory contexts)
    {
        var name = new Argument<string?>("wp") { Description = "Optional: the work package (default: --wp, else from the branch feature/<wp>).",
            Arity = ArgumentArity.ZeroOrOne };
        var wpOption = CommonOptions.Wp();
        var format = CommonOptions.Format("text", "json");
        var selection = new CommonOptions.SelectionOptions();
        var command = new Command("status", "Waves in execution order with their level, objects and statuses, and the state of cross-package dependencies.");
        command.Arguments.Add(name);
        command.Options.Add(wpOption);
        command.Options.Add(format);
        selection.AddTo(command);
        command.Validators.Add(r =>
        {
            if (r.GetValue(name) is { } positional && r.GetValue(wpOption) is { } option && positional != option)
            {
                r.AddError($"The work package is given twice, as '{positional}' and as --wp {option}; give it once.");
            }
        });
        command.SetAction(async (result, ct) =>
        {
            var context = contexts.Get();
            var workPackage = context.ResolveWorkPackage(result.GetValue(name) ?? result.GetValue(wpOption));
            var filters = selection.Read(result);
            var source = await context.NetBoxSourceAsync(result, workPackage, ct).ConfigureAwait(false);
            var snapshot = await source.LoadWorkPackageAsync(workPackage, ct).ConfigureAwait(false);
            var plan = Planner.Plan(snapshot, workPackage, source.Description, filters, statuses: null);
            var dependencies = new List<DependencyStatus>();
            foreach (var other in plan.WorkPackageDependencies)
            {
                dependencies.Add(new DependencyStatus(other, await source.CountPlannedAsync(other, ct).ConfigureAwait(false)));
            }

            var report = StatusReport.From(plan, dependencies, context.NetBoxBranch?.Name);
            if (result.GetValue(format) == "json")
            {
                await JsonOutput.WriteAsync(context.Out, report, StatusReport.JsonOptions, ct).ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteAsync(report.ToText()).ConfigureAwait(false);
            }

            foreach (var warning in plan.Warnings)
            {
                await context.Error.WriteLineAsync("warning: " + warning).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }
}

/// <summary>git, run with an argument list in a working directory.</summary>
internal sealed class Git(string workingDirectory)
{
    public sealed record Result(int Code, string Out, string Err);

    public async Task<Result> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = System.Diagnostics.Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return new Result(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw NautilusException.Usage($"git is needed here and could not be run ({ex.Message}). Install git.");
        }
    }
}

internal sealed record DependencyStatus(
    [property: JsonPropertyName("work_package")] string WorkPackage,
    [property: JsonPropertyName("planned_remaining")] int? PlannedRemaining)
{
    [JsonPropertyName("satisfied")]
    public bool? Satisfied => PlannedRemaining is null ? null : PlannedRemaining == 0;
}

internal sealed record StatusReport(
    [property: JsonPropertyName("work_package")] string WorkPackage,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("netbox_branch")] string? NetBoxBranch,
    [property: JsonPropertyName("selection")] string Selection,
    [property: JsonPropertyName("totals")] SortedDictionary<string, int> Totals,
    [property: JsonPropertyName("waves")] IReadOnlyList<StatusWave> Waves,
    [property: JsonPropertyName("dependencies")] IReadOnlyList<DependencyStatus> Dependencies,
    [property: JsonPropertyName("warnings")] IReadOnlyList<string> Warnings)
{
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static StatusReport From(WavePlan plan, IReadOnlyList<DependencyStatus> dependencies, string? netBoxBranch) => new(
        plan.WorkPackage,
        plan.Source,
        netBoxBranch,
        plan.Selection.ToString(),
        Count(plan.Objects),
        plan.Waves.Select(w => new StatusWave(
            w.Name,
            w.Level,
            w.DependsOn,
            w.DependsOnWorkPackages,
            w.StateName,
            Count(w.Objects),
            w.Objects.Select(o => new StatusObject(o.Source.ObjectType, o.Id, o.Name, o.Status, o.Sequence, o.Priority)).ToList())).ToList(),
        dependencies,
        plan.Warnings);

    private static SortedDictionary<string, int> Count(IEnumerable<PlannedObject> objects) =>
        new(objects.GroupBy(o => o.Status).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal);

    public string ToText()
    {
        var w = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        w.WriteLine($"Work package {WorkPackage}  (source " +
            $"{Source}{(NetBoxBranch is null ? "" : ", NetBox " + (NetBoxBranch == "main" ? "main" : "branch " + NetBoxBranch))}; filters {Selection})");
        w.WriteLine($"{Words.Count(Waves.Sum(x => x.Objects.Count), "object")} in {Words.Count(Waves.Count, "wave")}: {Summarise(Totals)}");
        if (Waves.Count == 0)
        {
            w.WriteLine("No objects match. Tag VMs and devices with the work package's tag in NetBox (nautilus netbox create-vm or the UI).");
        }

        int? level = null;
        foreach (var wave in Waves)
        {
            if (wave.Level != level)
            {
                level = wave.Level;
                w.WriteLine();
                w.WriteLine($"Level {level}");
            }

            var after = wave.DependsOn.Count == 0 ? "" : $"  after {string.Join(", ", wave.DependsOn)}";
            var gates = wave.DependsOnWorkPackages.Count == 0 ? "" : $"  needs wp {string.Join(", ", wave.DependsOnWorkPackages)}";
            w.WriteLine($"  wave {wave.Name}  [{Summarise(wave.Totals)}]{after}{gates}");
            foreach (var o in wave.Objects)
            {
                var kind = o.Type == ObjectKind.VirtualMachine.ContentType() ? "vm" : "device";
                w.WriteLine($"    {(o.Sequence?.ToString(CultureInfo.InvariantCulture) ?? "-"),6}  {kind,-6}  {o.Status,-10}  {o.Name}  (id " +
                    $"{o.Id}{(o.Priority is null ? "" : ", priority " + o.Priority)})");
            }
        }

        if (Dependencies.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("Depends on work packages:");
            foreach (var d in Dependencies)
            {
                var state = d.PlannedRemaining switch
                {
                    null => "unknown (not in this source)",
                    0 => "done (no planned objects left)",
                    var n => $"{n} planned object(s) left: dependent waves are gated",
                };
                w.WriteLine($"  {d.WorkPackage}: {state}");
            }
        }

        return w.ToString();
    }

    private static string Summarise(SortedDictionary<string, int> totals) =>
        totals.Count == 0 ? "none" : string.Join(", ", totals.Select(kv => $"{kv.Value} {kv.Key}"));
}

internal sealed record StatusWave(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("level")] int Level,
    [property: JsonPropertyName("depends_on")] IReadOnlyList<string> DependsOn,
    [property: JsonPropertyName("depends_on_wp")] IReadOnlyList<string> DependsOnWorkPackages,
    [property: JsonPropertyName("state_name")] string StateName,
    [property: JsonPropertyName("totals")] SortedDictionary<string, int> Totals,
    [property: JsonPropertyName("objects")] IReadOnlyList<StatusObject> Objects);

internal sealed record StatusObject(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("sequence")] int? Sequence,
    [property: JsonPropertyName("priority")] string? Priority);
