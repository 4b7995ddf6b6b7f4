using System.CommandLine;
using Microsoft.Extensions.Logging;
using Nautilus.Core;
using Nautilus.Core.Planning;
using Nautilus.Core.Rendering;
using Nautilus.Core.Terraform;

namespace Nautilus.Cli.Commands;

/// <summary>`nautilus iac …`: infrastructure code for a work package. Subcommands live in their own methods (or partial files).</summary>
internal static partial class IacCommands
{
    public static Command Create(CliContextFactory contexts)
    {
        var iac = new Command("iac", "Infrastructure code: generate Terraform and Ansible for a work package from NetBox, and deploy it wave by wave.");
        iac.Subcommands.Add(Generate(contexts));
        iac.Subcommands.Add(DeployCommand.Create(contexts));
        return iac;
    }

    /// <summary>`--templates DIR`, shared with `templates list` so both resolve names the same way.</summary>
    public static Option<string?> TemplatesOption() => new("--templates")
    {
        Description = "Folder of template overrides laid out like the built-in templates (terraform/<provider>/*.tf.sbn, ansible/*.yml.sbn); each file there " +
            "replaces the built-in of the same name.",
    };

    private static Command Generate(CliContextFactory contexts)
    {
        var wpOption = CommonOptions.Wp();
        var provider = new Option<string>("--provider")
        {
            Description = $"Terraform provider: {string.Join(", ", TerraformProvider.All.Select(p => p.Name))}.",
            DefaultValueFactory = _ => TerraformProvider.Default.Name,
        };
        provider.AcceptOnlyFromAmong(TerraformProvider.All.Select(p => p.Name).ToArray());
        var output = new Option<string?>("--out",
            "-o") { Description = "Output root (default: CI_PROJECT_DIR, else the current directory). Writes terraform/<wp>/, ansible/<wp>/ and " +
            ".nautilus/<wp>/manifest.json there." };
        var templates = TemplatesOption();
        var selection = new CommonOptions.SelectionOptions();
        var check = new Option<bool>("--check")
        {
            Description = "Write nothing: regenerate in memory and compare with the code under --out (the committed files). Exit 0 when identical; exit 8 " +
                "naming the files that differ, the NetBox objects and fields that changed since, and the command that brings the branch up to date.",
        };
        var commit = new Option<bool>("--commit")
        {
            Description = "With --check: when the code is out of date, push the regenerated files as one commit to the merge request's source branch (else " +
                "CI_COMMIT_BRANCH) through GitLab's Commits API, and exit 0. Needs NAUTILUS_GITLAB_TOKEN (Developer, api or write_repository scope). An MR " +
                "from a fork, or the default branch, exits 8 instead.",
        };
        var pushedNote = new Option<string?>("--pushed-note")
        {
            Description = "With --commit: after a push, write one line saying which commit was pushed to this file (the component's pipeline ends with an " +
                "idle child that shows it). Nothing is written when nothing was pushed.",
        };
        var command = new Command(
            "generate",
            "Write one Terraform root module per wave (state <wp>-<wave>), the Ansible inventory and playbooks, and manifest.json for the work package's " +
                "planned objects. Atomic, and byte-identical for the same input.");
        command.Options.Add(wpOption);
        command.Options.Add(provider);
        command.Options.Add(output);
        command.Options.Add(templates);
        command.Options.Add(check);
        command.Options.Add(commit);
        command.Options.Add(pushedNote);
        selection.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var context = contexts.Get();
            var log = context.LoggerFactory.CreateLogger("iac");
            if ((result.GetValue(commit) || result.GetValue(pushedNote) is not null) && !result.GetValue(check))
            {
                throw NautilusException.Usage("--commit and --pushed-note go with --check: 'nautilus iac generate --check --commit' pushes the regenerated " +
                    "code only when the committed code is out of date.");
            }

            var workPackage = context.ResolveWorkPackage(result.GetValue(wpOption));
            var filters = selection.Read(result);
            var target = TerraformProvider.Parse(result.GetValue(provider));
            var store = TemplateStore.Load(ResolvePath(context, result.GetValue(templates)));
            foreach (var unused in store.Unused)
            {
                await context.Error.WriteLineAsync("warning: " + unused).ConfigureAwait(false);
            }

            var outDir = ResolvePath(context, result.GetValue(output)) ?? context.ProjectDirectory;

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var source = await context.NetBoxSourceAsync(result, workPackage, ct).ConfigureAwait(false);
            var snapshot = await source.LoadWorkPackageAsync(workPackage, ct).ConfigureAwait(false);
            log.LogDebug("Read {Count} objects from {Source} in {Ms} ms", snapshot.VirtualMachines.Count + snapshot.Devices.Count, source.Description,
                clock.ElapsedMilliseconds);
            clock.Restart();
            var plan = Planner.Plan(snapshot, workPackage, source.Description, filters, statuses: ["planned"]);
            log.LogDebug("Planned {Waves} waves in {Ms} ms (process CPU so far {Cpu} ms)", plan.Waves.Count, clock.ElapsedMilliseconds,
                (long)System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds);
            clock.Restart();
            var generator = new IacGenerator(new TemplateRenderer(store));
            if (result.GetValue(check))
            {
                var checkedResult = GeneratedCodeCheck.Run(outDir, workPackage, output => generator.Generate(plan, target, snapshot.DiskIsGigabytes, output),
                    snapshot);
                log.LogDebug("Rendered and compared {Files} files with those under {Out} in {Ms} ms (process CPU so far {Cpu} ms)",
                    checkedResult.Generated.Paths.Count, outDir, clock.ElapsedMilliseconds,
                    (long)System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds);
                await context.Out.WriteAsync(GeneratedCodeCheck.Render(checkedResult, source.Description, Printable)).ConfigureAwait(false);
                if (checkedResult.UpToDate)
                {
                    return 0;
                }

                foreach (var warning in checkedResult.Generated.Warnings)
                {
                    await context.Error.WriteLineAsync("warning: " + Printable(warning)).ConfigureAwait(false);
                }

                var fix = RegenerateCommand(context, result, workPackage, target, outDir, filters, templates);
                if (result.GetValue(commit))
                {
                    return await PushAsync(context, checkedResult, source.Description, outDir, fix, ResolvePath(context, result.GetValue(pushedNote)), ct)
                        .ConfigureAwait(false);
                }

                throw new NautilusException(
                    ExitCode.GeneratedCodeStale,
                    $"The generated code of work package {workPackage} under {Shown(context, outDir)} is out of date with {source.Description}: " +
                    $"{checkedResult.Files.Count} file(s) differ, {checkedResult.Objects.Count} NetBox object(s) changed since it was generated (listed " +
                        $"above). " +
                    $"Bring the branch up to date and commit: {fix}");
            }

            var (generated, changed) = await OutputWriter.WriteAsync(outDir, workPackage,
                output => generator.Generate(plan, target, snapshot.DiskIsGigabytes, output), ct).ConfigureAwait(false);
            log.LogDebug("Rendered and wrote {Files} files in {Ms} ms (process CPU so far {Cpu} ms)", generated.Paths.Count, clock.ElapsedMilliseconds,
                (long)System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds);

            foreach (var warning in generated.Warnings)
            {
                await context.Error.WriteLineAsync("warning: " + Printable(warning)).ConfigureAwait(false);
            }

            if (plan.Waves.Count == 0)
            {
                log.LogWarning(
                    "Work package {Wp} has no planned objects in {Source} (filters {Filters}); wrote an empty layout. Tag VMs and devices with wp:{Wp} and " +
                        "status planned in NetBox.",
                    workPackage, source.Description, filters, workPackage);
            }

            var shown = Shown(context, outDir);
            await context.Out.WriteLineAsync($"{(changed ? "Generated" : "Up to date:")} {workPackage} for {target.Name}: " +
                $"{Words.Count(plan.Objects.Count(), "object")} in {Words.Count(plan.Waves.Count, "wave")} under {shown}").ConfigureAwait(false);
            foreach (var wave in plan.Waves)
            {
                await context.Out.WriteLineAsync($"  level {wave.Level}  {Path.Combine(shown, "terraform", workPackage, wave.Key)}  state {wave.StateName} " +
                    $" {Words.Count(wave.Objects.Count, "object")}").ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync($"  {Path.Combine(shown, "ansible", workPackage, "inventory.yml")}, site.yml, waves/").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"  {Path.Combine(shown, generated.ManifestPath)}").ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>`--check --commit`: the regenerated files as one commit on the branch this pipeline runs for.</summary>
    private static async Task<int> PushAsync(CliContext context, CheckResult checkedResult, string source, string outDir, string fix, string? notePath,
        CancellationToken cancellationToken)
    {
        var ci = context.Ci;
        var workPackage = checkedResult.WorkPackage;
        var branch = ci.MergeRequestSourceBranch is { Length: > 0 } mrBranch ? mrBranch : ci.CommitBranch;
        if (string.IsNullOrEmpty(branch))
        {
            throw NautilusException.Usage("--commit pushes to the branch of a GitLab pipeline (CI_MERGE_REQUEST_SOURCE_BRANCH_NAME, else CI_COMMIT_BRANCH), " +
                "and neither is set. Outside GitLab CI, run the command above and push yourself.");
        }

        if (ci.IsMergeRequestFromFork)
        {
            throw new NautilusException(
                ExitCode.GeneratedCodeStale,
                $"The generated code of work package {workPackage} is out of date, and this merge request comes from a fork (project " +
                    $"{ci.MergeRequestSourceProjectId}), which nautilus cannot push to. In the fork, run: {fix}, then push the branch.");
        }

        if (branch == ci.DefaultBranch)
        {
            throw new NautilusException(
                ExitCode.GeneratedCodeStale,
                $"The generated code of work package {workPackage} is out of date on the default branch '{branch}', which nautilus never pushes to: the " +
                    $"default branch deploys what was reviewed. Regenerate on the work package's branch and merge it: {fix}");
        }

        if (checkedResult.Objects.Count == 0 && GeneratedCodeCommit.IsRegeneration(ci.CommitMessage, workPackage))
        {
            throw new NautilusException(
                ExitCode.GeneratedCodeStale,
                $"This commit was pushed by nautilus to regenerate work package {workPackage}, and regenerating again, with no NetBox object changed, still " +
                    $"gives other files: the generation is not repeatable (a template that reads the time or a random value?). Not pushing again; fix the " +
                    $"templates, then run: {fix}");
        }

        var projectDir = context.ProjectDirectory;
        var prefix = Path.GetRelativePath(projectDir, outDir).Replace('\\', '/');
        if (prefix.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(prefix))
        {
            throw NautilusException.Usage($"--out {outDir} is outside the repository ({projectDir}); --commit can only push files inside it.");
        }

        var client = await context.GitLabClientAsync(cancellationToken).ConfigureAwait(false);
        client.Options.RequireWriteToken("Pushing the regenerated code", role: "Developer", scope: "api (or write_repository)");
        var project = context.GitLabProject(ci.MergeRequestSourceProjectId);
        var request = new Nautilus.Core.GitLab.GitLabCommitRequest(
            branch,
            GeneratedCodeCommit.Message(checkedResult, source, ci.PipelineUrl, Printable),
            GeneratedCodeCommit.Actions(checkedResult, prefix == "." ? "" : prefix));
        var pushed = await GeneratedCodeCommit.PushAsync(client, project, branch, ci.CommitSha, request, cancellationToken).ConfigureAwait(false);
        var note = $"The generated code of work package {workPackage} was out of date with NetBox: nautilus pushed the regenerated files " +
            $"({checkedResult.Files.Count}) as commit {pushed.ShortId} to {branch}{(pushed.WebUrl is { Length: > 0 } url ? $" ({url})" : "")}. That commit's " +
            $"pipeline plans it.";
        await context.Out.WriteLineAsync(note).ConfigureAwait(false);
        if (notePath is not null)
        {
            await AtomicFile.WriteAllTextAsync(notePath, note + "\n", cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>The `iac generate` (and git) command lines that regenerate exactly what --check compared.</summary>
    private static string RegenerateCommand(CliContext context, ParseResult result, string workPackage, TerraformProvider provider, string outDir,
        Selection filters, Option<string?> templates)
    {
        var words = new List<string> { "nautilus", "iac", "generate", "--wp", workPackage, "--provider", provider.Name };
        if (result.GetValue(CommonOptions.Source) is { Length: > 0 } file)
        {
            words.AddRange(["--source", file]);
        }
        else if (result.GetValue(CommonOptions.NetBoxUrl) is { Length: > 0 } url)
        {
            words.AddRange(["--netbox-url", url]);
        }

        if (result.GetValue(templates) is { Length: > 0 } folder)
        {
            words.AddRange(["--templates", folder]);
        }

        if (!filters.IsEmpty)
        {
            words.AddRange(filters.ToString().Split(' '));
        }

        var shown = Shown(context, outDir);
        words.AddRange(["--out", shown]);
        var paths = new[] { "terraform", "ansible",
            ".nautilus" }.Select(f =>
            Nautilus.Core.Pipelines.Shell.Quote((shown == "." ? $"{f}/{workPackage}" : Path.Combine(shown, f, workPackage)).Replace('\\', '/')));
        return string.Join(' ', words.Select(Nautilus.Core.Pipelines.Shell.Quote))
            + $" && git add -A {string.Join(' ', paths)} && git commit -m {Nautilus.Core.Pipelines.Shell.Quote($"Regenerate {workPackage} from NetBox")}";
    }

    private static string Shown(CliContext context, string outDir)
    {
        var shown = Path.GetRelativePath(context.Environment.CurrentDirectory, outDir);
        return shown.StartsWith("..", StringComparison.Ordinal) ? outDir : shown;
    }

    /// <summary>Warnings quote NetBox names; control characters in them must not drive the terminal (ESC sequences).</summary>
    private static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));

    internal static string? ResolvePath(CliContext context, string? path) =>
        string.IsNullOrEmpty(path) ? null : Path.GetFullPath(path, context.Environment.CurrentDirectory);
}
