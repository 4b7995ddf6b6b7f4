using System.CommandLine;
using Nautilus.Core;
using Nautilus.Core.Drift;
using Nautilus.Core.GitLab;
using Nautilus.Core.NetBox;
using Nautilus.Core.Planning;

namespace Nautilus.Cli.Commands;

/// <summary>`nautilus drift`: NetBox against the waves' Terraform states (docs/design.md §7); exit 7 when they disagree.</summary>
internal static class DriftCommand
{
    public static Command Create(CliContextFactory contexts)
    {
        var wpOption = CommonOptions.Wp();
        var format = CommonOptions.Format("text", "json", "markdown");
        var project = new Option<string?>("--project") { Description = "GitLab project (id or group/project) holding the Terraform states (default " +
            "CI_PROJECT_ID)." };
        var stateDir = new Option<string?>("--state-dir") { Description = "Read states from DIR/<wp>-<wave>.json ('terraform state pull' output) instead of " +
            "GitLab." };
        var layout = new CommonOptions.LayoutDirOptions("Folder to read the generated layout from (the --out given to iac generate); the waves of its " +
            "manifest are checked too (default CI_PROJECT_DIR, else the working directory).");
        var issue = new Option<bool>("--issue")
        {
            Description = "Also keep one GitLab issue per work package about its drift (marker <!-- nautilus:drift:<wp> -->): opened or updated in place " +
                "while there is drift, closed with a note once clean. Needs NAUTILUS_GITLAB_TOKEN (Reporter, api scope); the project is --project, else " +
                "CI_PROJECT_ID.",
        };
        var command = new Command("drift",
            "Compare NetBox with each wave's Terraform state in GitLab: deployed but still planned, active but in no state, vcpus/memory/disk/name " +
            "mismatches, resources of objects no longer in the work package. Exit 7 when drift is found.");
        command.Options.Add(wpOption);
        command.Options.Add(format);
        command.Options.Add(project);
        command.Options.Add(stateDir);
        layout.AddTo(command);
        command.Options.Add(issue);
        command.Validators.Add(r =>
        {
            if (r.GetResult(stateDir) is { Implicit: false } && r.GetResult(project) is { Implicit: false } && !r.GetValue(issue))
            {
                r.AddError("--project names the GitLab project whose states drift reads, but --state-dir reads them from files instead; drop one (--project " +
                    "is used with --state-dir only for --issue).");
            }
        });
        command.SetAction(async (result, ct) =>
        {
            var context = contexts.Get();
            var workPackage = context.ResolveWorkPackage(result.GetValue(wpOption));
            ITerraformStateSource states = result.GetValue(stateDir) is { Length: > 0 } dir
                ? new DirectoryStateSource(Path.GetFullPath(dir, context.Environment.CurrentDirectory))
                : await GitLabStatesAsync(context, result.GetValue(project), ct).ConfigureAwait(false);

            var source = await context.NetBoxSourceAsync(result, workPackage, ct).ConfigureAwait(false);
            var snapshot = await source.LoadWorkPackageAsync(workPackage, ct).ConfigureAwait(false);

            // States of waves that no longer hold planned or active objects are still worth a look: the last manifest names them.
            var outDirectory = Path.GetFullPath(await layout.ReadAsync(result, context.Error).ConfigureAwait(false) ?? context.ProjectDirectory,
                context.Environment.CurrentDirectory);
            var manifest = Manifest.TryRead(Manifest.PathFor(outDirectory, workPackage));
            var extra = manifest?.Waves.Select(w => w.StateName) ?? [];
            var addresses = manifest?.Waves.ToDictionary(
                w => w.StateName,
                w => (IReadOnlyDictionary<string, (ObjectKind, int)>)w.Objects.Where(o => o.TerraformAddress is not null)
                    .DistinctBy(o => o.TerraformAddress)
                    .ToDictionary(o => o.TerraformAddress!, o => (o.Type == "dcim.device" ? ObjectKind.Device : ObjectKind.VirtualMachine, o.Id),
                        StringComparer.Ordinal),
                StringComparer.Ordinal);

            var report = await new DriftDetector(states).DetectAsync(snapshot, workPackage, source.Description, extra, addresses, ct).ConfigureAwait(false) with
            {
                NetBoxBranch = context.NetBoxBranch?.Name,
            };
            var netboxUrl = source is LiveNetBoxSource ? source.Description : null;
            await context.Out.WriteAsync(result.GetValue(format) switch
            {
                "json" => DriftRendering.Json(report),
                "markdown" => DriftRendering.Markdown(report, netboxUrl),
                _ => DriftRendering.Text(report),
            }).ConfigureAwait(false);

            if (result.GetValue(issue))
            {
                var client = await context.GitLabClientAsync(ct).ConfigureAwait(false);
                var kept = await new DriftIssue(client).KeepAsync(
                    context.GitLabProject(result.GetValue(project)), report, DriftRendering.Markdown(report, netboxUrl), context.Ci.PipelineUrl,
                        TimeProvider.System.GetUtcNow(), ct).ConfigureAwait(false);
                await context.Error.WriteLineAsync(kept.Action switch
                {
                    DriftIssueAction.Created => $"info: drift: opened issue #{kept.Iid} for work package {workPackage}: {kept.WebUrl}",
                    DriftIssueAction.Updated => $"info: drift: updated issue #{kept.Iid} for work package {workPackage}: {kept.WebUrl}",
                    DriftIssueAction.Reopened => $"info: drift: reopened issue #{kept.Iid} for work package {workPackage}: {kept.WebUrl}",
                    DriftIssueAction.Closed => $"info: drift: no drift any more; closed issue #{kept.Iid}: {kept.WebUrl}",
                    _ => $"info: drift: no drift and no open drift issue for work package {workPackage}.",
                }).ConfigureAwait(false);
            }

            if (report.Drifted)
            {
                await context.Error.WriteLineAsync($"error: drift: {report.Drift.Count} finding(s) for work package {workPackage} (exit 7).")
                    .ConfigureAwait(false);
                return (int)ExitCode.DriftDetected;
            }

            return 0;
        });
        return command;
    }

    private static async Task<ITerraformStateSource> GitLabStatesAsync(CliContext context, string? project, CancellationToken cancellationToken)
    {
        var projectRef = context.GitLabProject(project);
        return new GitLabStateSource(await context.GitLabClientAsync(cancellationToken).ConfigureAwait(false), projectRef);
    }
}
