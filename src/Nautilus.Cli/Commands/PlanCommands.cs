using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Nautilus.Core;
using Nautilus.Core.NetBox;
using Nautilus.Core.Planning;
using Nautilus.Core.PlanNotes;
using Nautilus.Core.Secrets;
using Nautilus.Core.Terraform;

namespace Nautilus.Cli.Commands;

/// <summary>`nautilus plan …`: the MR plan note and GitLab's Terraform widget report (docs/design.md §6).</summary>
internal static class PlanCommands
{
    /// <summary>
    /// CI variables that commonly hold credentials a provider may echo into a plan without marking it
    /// sensitive (peers.md: digger #2677, atlantis #163). Their values are masked in the note.
    /// </summary>
    private static readonly string[] SecretVariables =
    [
        "CI_JOB_TOKEN", "CI_REGISTRY_PASSWORD", "CI_DEPLOY_PASSWORD", "CI_JOB_JWT", "CI_JOB_JWT_V2",
        "NAUTILUS_GITLAB_TOKEN", "NAUTILUS_NETBOX_TOKEN", "NAUTILUS_WEBHOOK_SECRET", "NAUTILUS_ADMIN_TOKEN",
        "VAULT_TOKEN", "VAULT_SECRET_ID", "VAULT_ID_TOKEN",
        "TF_HTTP_PASSWORD", "TF_VAR_vsphere_password", "TF_VAR_vsphere_user", "VSPHERE_PASSWORD",
        "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "ARM_CLIENT_SECRET", "ARM_ACCESS_KEY", "GOOGLE_CREDENTIALS",
    ];

    public static Command Create(CliContextFactory contexts)
    {
        var plan = new Command("plan", "Terraform plans for reviewers: the sticky merge-request note and GitLab's Terraform widget report.");
        plan.Subcommands.Add(Comment(contexts));
        plan.Subcommands.Add(Report(contexts));
        return plan;
    }

    private static Command Comment(CliContextFactory contexts)
    {
        var plansDir = new Option<string>("--plans-dir") { Description = "Folder holding <wave>/plan.json, each from 'terraform show -json'.",
            Required = true };
        var wpOption = CommonOptions.Wp();
        var dryRun = CommonOptions.DryRun();
        dryRun.Description = "Print the note's Markdown instead of posting it.";
        var manifest = new Option<string?>("--manifest") { Description = "The work package's manifest (default .nautilus/<wp>/manifest.json): wave order, " +
            "levels and NetBox identities." };
        var templates = new Option<string?>("--templates") { Description = "Folder overriding built-in templates file by file (here plan/comment.md.sbn)." };
        var project = new Option<string?>("--project") { Description = "GitLab project id or full path (default CI_MERGE_REQUEST_PROJECT_ID, else " +
            "CI_PROJECT_ID)." };
        var mr = new Option<long?>("--mr") { Description = "Merge request iid, the !number (default CI_MERGE_REQUEST_IID)." };
        var artifacts = new Option<string?>("--artifacts-url") { Description = "Where the full plans are, linked when details are cut (default the pipeline, " +
            "CI_PIPELINE_URL)." };
        var mask = new Option<string[]>("--mask-variable") { Description = "Also mask the value of this environment variable in the note (repeatable)." };
        var command = new Command("comment",
            "Post or update one note per work package on the merge request: a summary per wave and collapsible details with NetBox links. Sensitive values " +
            "never appear.");
        foreach (var option in new Option[] { plansDir, wpOption, manifest, templates, project, mr, artifacts, mask, dryRun })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            var context = contexts.Get();
            var logger = context.LoggerFactory.CreateLogger("Nautilus.Plan");
            var workPackage = context.ResolveWorkPackage(result.GetValue(wpOption));
            var dir = result.GetValue(plansDir)!;
            var manifestPath = result.GetValue(manifest) is { Length: > 0 } m
                ? Path.GetFullPath(m, context.Environment.CurrentDirectory)
                : Manifest.PathFor(context.Environment.CurrentDirectory, workPackage);
            var plans = PlanSet.Load(Path.GetFullPath(dir, context.Environment.CurrentDirectory), dir.TrimEnd('/', '\\'), workPackage, manifestPath);
            var templatesDir = result.GetValue(templates) is { Length: > 0 } t ? Path.GetFullPath(t, context.Environment.CurrentDirectory) : null;
            var renderer = PlanCommentRenderer.Load(templatesDir);

            await RegisterKnownSecretsAsync(context, result.GetValue(mask) ?? [], logger, ct).ConfigureAwait(false);
            var netBoxUrl = result.GetValue(CommonOptions.NetBoxUrl) ?? context.Configuration["Nautilus:NetBox:Url"];
            var netBoxChanges = await NetBoxChangesAsync(context, result, workPackage, netBoxUrl, ct).ConfigureAwait(false);
            var body = renderer.Render(
                plans,
                new PlanCommentContext
                {
                    NetBoxUrl = netBoxUrl,
                    NetBoxChanges = netBoxChanges,
                    ArtifactsUrl = result.GetValue(artifacts),
                    CommitSha = context.Ci.CommitSha,
                    PipelineUrl = context.Ci.PipelineUrl,
                    PipelineId = context.Ci.PipelineId,
                    Generator = "nautilus " + (typeof(PlanCommands).Assembly.GetName().Version?.ToString(3) ?? "0"),
                },
                context.Redactor);
            foreach (var warning in plans.Warnings)
            {
                logger.LogWarning("{Warning}", warning);
            }

            if (result.GetValue(dryRun))
            {
                await context.Out.WriteAsync(body).ConfigureAwait(false);
                await context.Out.FlushAsync(ct).ConfigureAwait(false);
                return Unreadable(plans);
            }

            var iid = result.GetValue(mr)
                ?? (long.TryParse(context.Ci.MergeRequestIid, NumberStyles.None, CultureInfo.InvariantCulture, out var ciIid) ? ciIid : (long?)null)
                ?? throw NautilusException.Usage("No merge request: pass --mr <iid>, or run in a merge request pipeline (CI_MERGE_REQUEST_IID). Use " +
                    "--dry-run to print the note instead.");
            var client = await context.GitLabClientAsync(ct).ConfigureAwait(false);
            client.Options.RequireWriteToken("Posting the plan note");
            var target = context.GitLabProject(result.GetValue(project));
            var outcome = await PlanNotePublisher.PublishAsync(client, target, iid, PlanCommentBuilder.MarkerFor(workPackage), body, logger, ct)
                .ConfigureAwait(false);
            await context.Out.WriteLineAsync($"{outcome.Action} note {outcome.NoteId} on merge request !{iid}: {outcome.Url}").ConfigureAwait(false);
            return Unreadable(plans);
        });
        return command;
    }

    /// <summary>
    /// 0, or the failure of the plans that could not be read, once the note (showing them as failed) is out: the
    /// job still fails, so the broken plan job is not mistaken for a clean one.
    /// </summary>
    private static int Unreadable(PlanSet plans)
    {
        var broken = plans.Unreadable.Select(w => $"'{w.Name}'").ToList();
        return broken.Count == 0
            ? 0
            : throw NautilusException.InvalidData(
                $"The plan of wave{(broken.Count == 1 ? "" : "s")} {string.Join(", ", broken)} could not be read (the reason is above and in the note, which " +
                    $"shows {(broken.Count == 1 ? "it" : "them")} as failed). " +
                "Fix the plan job so it writes 'terraform show -json plan.tfplan > <wave>/plan.json' under --plans-dir, and run the pipeline again.");
    }

    private static Command Report(CliContextFactory contexts)
    {
        var planFile = new Option<string>("--plan") { Description = "A plan from 'terraform show -json'.", Required = true };
        var outFile = new Option<string>("--out") { Description = "Where to write GitLab's widget report (artifacts:reports:terraform); '-' for stdout.",
            Required = true };
        var command = new Command("report",
            "Write GitLab's Terraform MR widget report {\"create\",\"update\",\"delete\"} for one plan (a replace counts as one create and one delete).");
        command.Options.Add(planFile);
        command.Options.Add(outFile);
        command.SetAction(async (result, ct) =>
        {
            var context = contexts.Get();
            var path = result.GetValue(planFile)!;
            var plan = TerraformPlan.Load(Path.GetFullPath(path, context.Environment.CurrentDirectory), path);
            var report = WidgetReport.From(plan).ToJson();
            if (plan.Errored)
            {
                await context.Error.WriteLineAsync($"warning: {path} is an errored plan; the report counts only what it planned before failing.")
                    .ConfigureAwait(false);
            }

            var target = result.GetValue(outFile)!;
            if (target == "-")
            {
                await context.Out.WriteLineAsync(report).ConfigureAwait(false);
            }
            else
            {
                await AtomicFile.WriteAllTextAsync(Path.GetFullPath(target, context.Environment.CurrentDirectory), report + "\n", ct).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// With netbox-branching and a live NetBox: the work package's open NetBox branch (as --netbox-branch selects) and
    /// its ChangeDiffs, for the note's "NetBox changes" section. Without a NetBox URL, with an export file, or on main:
    /// none, and the note is the plan alone.
    /// </summary>
    private static async Task<NetBoxBranchChanges?> NetBoxChangesAsync(CliContext context, ParseResult result, string workPackage, string? netBoxUrl,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(netBoxUrl) || result.GetValue(CommonOptions.Source) is { Length: > 0 } || context.BranchingMode == BranchingMode.Off)
        {
            return null;
        }

        try
        {
            var client = await context.NetBoxClientAsync(result, workPackage, cancellationToken).ConfigureAwait(false);
            if (client.Branch is not { } branch)
            {
                return null;
            }

            var changes = await context.Branching(client).ChangesAsync(branch, cancellationToken).ConfigureAwait(false);
            return new NetBoxBranchChanges(branch, changes, netBoxUrl.TrimEnd('/'));
        }
        catch (Exception ex) when (context.BranchingMode == BranchingMode.Auto
            && NautilusException.Find(ex) is { Code: ExitCode.UpstreamUnavailable or ExitCode.AuthenticationFailed } reason)
        {
            // The note is the plan's first: in auto mode a NetBox this job cannot read costs the NetBox section, not the note.
            context.LoggerFactory.CreateLogger("Nautilus.Plan").LogWarning("The note has no NetBox changes section: {Reason}", reason.Message);
            return null;
        }
    }

    /// <summary>Registers every secret the process can know with the redactor, before the note is rendered.</summary>
    private static async Task RegisterKnownSecretsAsync(CliContext context, IEnumerable<string> extraVariables, ILogger logger,
        CancellationToken cancellationToken)
    {
        foreach (var name in Enum.GetValues<SecretName>())
        {
            try
            {
                context.Redactor.Register(await context.Secrets.GetAsync(name, cancellationToken).ConfigureAwait(false));
            }
            catch (NautilusException ex)
            {
                // Masking is best effort for secrets this job cannot read; the note is still checked for the ones it can.
                logger.LogDebug("Could not read {Secret} to mask it: {Reason}", name, ex.Message);
            }
        }

        foreach (var variable in SecretVariables.Concat(extraVariables))
        {
            context.Redactor.Register(context.Environment.Variable(variable));
        }
    }
}
