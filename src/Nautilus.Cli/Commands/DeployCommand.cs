using System.CommandLine;
using Microsoft.Extensions.Logging;
using Nautilus.Core;
using Nautilus.Core.Deploy;
using Nautilus.Core.GitLab;
using Nautilus.Core.NetBox;
using Nautilus.Core.Planning;
using Nautilus.Core.Secrets;
using Nautilus.Core.Terraform;

namespace Nautilus.Cli.Commands;

/// <summary>`nautilus iac deploy`: apply the generated waves in order and sync NetBox after each (docs/design.md §7).</summary>
internal static class DeployCommand
{
    public static Command Create(CliContextFactory contexts)
    {
        var wpOption = CommonOptions.Wp();
        var layout = new CommonOptions.LayoutDirOptions("Folder to read the generated layout from (terraform/<wp>/<wave>/, .nautilus/<wp>/manifest.json): " +
            "the --out given to iac generate; default CI_PROJECT_DIR, else the working directory.");
        var project = new Option<string?>("--project") { Description = "GitLab project (id or group/project) holding the Terraform states (default " +
            "CI_PROJECT_ID)." };
        var ignoreDependencies = new Option<bool>("--ignore-dependencies") { Description = "Deploy even when a work package named by depends-on:wp: still " +
            "has planned objects." };
        var dryRun = CommonOptions.DryRun();
        var savedPlan = new Option<string?>("--saved-plan")
        {
            Description = "Apply this plan file saved in each wave's directory (the child pipeline's plan job writes plan.cache) instead of planning again " +
                "with -auto-approve: what was planned is what is applied.",
        };
        var selection = new CommonOptions.SelectionOptions();
        var command = new Command("deploy",
            "Apply the waves of the committed code (.nautilus/<wp>/manifest.json and terraform/<wp>/) in order with Terraform (state in GitLab), and after " +
            "each wave set the objects the manifest lists for it active in NetBox, with their primary IPv4 and a journal entry linking the job. A failed " +
            "wave exits 6, leaving a danger journal entry on each of its objects; later waves do not run.");
        command.Options.Add(wpOption);
        layout.AddTo(command);
        command.Options.Add(project);
        command.Options.Add(ignoreDependencies);
        command.Options.Add(dryRun);
        command.Options.Add(savedPlan);
        selection.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var context = contexts.Get();
            var workPackage = context.ResolveWorkPackage(result.GetValue(wpOption));
            var filters = selection.Read(result);
            var isDryRun = result.GetValue(dryRun);
            var outDirectory = Path.GetFullPath(await layout.ReadAsync(result, context.Error).ConfigureAwait(false) ?? context.ProjectDirectory,
                context.Environment.CurrentDirectory);
            var manifestPath = Manifest.PathFor(outDirectory, workPackage);
            var manifest = Manifest.TryRead(manifestPath)
                ?? throw NautilusException.Usage($"No generated code for work package {workPackage}: {manifestPath} does not exist. Run 'nautilus iac " +
                    $"generate --wp {workPackage} --out {outDirectory}' first.");

            // The waves and objects come from the committed manifest, never from what NetBox holds now: an object added or
            // changed in NetBox after the review is not applied (docs/design.md, "Lifecycle").
            var plan = ManifestPlan.From(manifest, filters, $"the manifest {Path.GetRelativePath(outDirectory, manifestPath).Replace('\\', '/')}");
            foreach (var warning in plan.Warnings)
            {
                await context.Error.WriteLineAsync("warning: " + warning).ConfigureAwait(false);
            }

            var dependencies = new Dictionary<string, int?>(StringComparer.Ordinal);
            INetBoxSource? source = null;
            foreach (var other in plan.WorkPackageDependencies)
            {
                source ??= await context.NetBoxSourceAsync(result, workPackage, ct).ConfigureAwait(false);
                dependencies[other] = await source.CountPlannedAsync(other, ct).ConfigureAwait(false);
                if (dependencies[other] != 0 && result.GetValue(ignoreDependencies))
                {
                    await context.Error.WriteLineAsync($"warning: deploying although work package '{other}' is not done " +
                        $"({dependencies[other]?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no objects at all"} planned objects left): " +
                        $"--ignore-dependencies.").ConfigureAwait(false);
                }
            }

            if (!filters.IsEmpty && plan.Waves.Count > 0)
            {
                await context.Error.WriteLineAsync($"note: {filters} selects whole waves ({string.Join(", ", plan.Waves.Select(w => w.Name))}): each wave is " +
                    $"one Terraform root module, applied and synced with all its objects.").ConfigureAwait(false);
            }

            var logger = context.LoggerFactory.CreateLogger("deploy");
            var sections = new LogSections(context.Error, context.Ci.IsCi, TimeProvider.System);
            var request = new DeployRequest
            {
                Plan = plan,
                Manifest = manifest,
                OutDirectory = outDirectory,
                Dependencies = dependencies,
                IgnoreDependencies = result.GetValue(ignoreDependencies),
                DryRun = isDryRun,
                JobUrl = context.Ci.JobUrl,
                SavedPlan = result.GetValue(savedPlan) is { Length: > 0 } saved ? saved : null,
            };

            if (isDryRun)
            {
                var binary = TryResolveTerraform(context);
                var preview = new Deployer(binary is null ? null : new TerraformProcess(binary, context.Error, context.Redactor, logger), null, sections,
                    context.Out, logger);
                await preview.RunAsync(request with { Backend = await TryBackendAsync(context, result.GetValue(project), ct).ConfigureAwait(false) }, ct)
                    .ConfigureAwait(false);
                await context.Out.WriteLineAsync("dry run: nothing was applied and NetBox was not changed.").ConfigureAwait(false);
                return 0;
            }

            var backend = await BackendAsync(context, result.GetValue(project), ct).ConfigureAwait(false);
            var variables = await VariablesAsync(context, ct).ConfigureAwait(false);
            var terraform = new TerraformProcess(ResolveTerraform(context), context.Error, context.Redactor, logger);
            NetBoxSync? sync = null;
            if (result.GetValue(CommonOptions.Source) is { Length: > 0 } && !context.HasLiveNetBox(result))
            {
                // Export-file mode without a NetBox to reach (air-gapped jobs): apply, and say who syncs.
                await context.Error.WriteLineAsync("warning: no NetBox configured (--netbox-url or NAUTILUS_NETBOX_URL): the waves are applied but their " +
                    "NetBox objects are not synced here; the webhook service's Pipeline Hook sync (NAUTILUS_SYNC_ON=deploy) sets them active.")
                    .ConfigureAwait(false);
            }
            else
            {
                var client = await context.NetBoxClientAsync(result, workPackage, ct).ConfigureAwait(false);
                sync = new NetBoxSync(client, context.LoggerFactory.CreateLogger("sync"),
                    context.Configuration["Nautilus:Deploy:InterfaceName"] is { Length: > 0 } name ? name : "eth0");
            }

            var deployer = new Deployer(terraform, sync, sections, context.Out, logger);
            await deployer.RunAsync(request with { Backend = backend, Variables = variables }, ct).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>NAUTILUS_TF_BIN, else terraform, else tofu on PATH.</summary>
    internal static string ResolveTerraform(CliContext context) =>
        TryResolveTerraform(context)
        ?? throw NautilusException.Usage("Neither terraform nor tofu is on PATH. Install one of them, or set NAUTILUS_TF_BIN to the binary's path.");

    private static string? TryResolveTerraform(CliContext context)
    {
        if (context.Configuration["Nautilus:Terraform:Binary"] is { Length: > 0 } configured)
        {
            return configured.Contains('/', StringComparison.Ordinal) || configured.Contains('\\', StringComparison.Ordinal)
                ? Path.GetFullPath(configured, context.Environment.CurrentDirectory)
                : OnPath(context, configured) ?? configured;
        }

        return OnPath(context, "terraform") ?? OnPath(context, "tofu");
    }

    private static string? OnPath(CliContext context, string name)
    {
        foreach (var directory in (context.Environment.Variable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in OperatingSystem.IsWindows() ? new[] { name + ".exe", name } : [name])
            {
                var path = Path.Combine(directory, candidate);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        return null;
    }

    private static async Task<StateBackend?> TryBackendAsync(CliContext context, string? project, CancellationToken cancellationToken)
    {
        try
        {
            return await BackendAsync(context, project, cancellationToken).ConfigureAwait(false);
        }
        catch (NautilusException)
        {
            return null;
        }
    }

    /// <summary>
    /// In CI: CI_API_V4_URL, CI_PROJECT_ID and the job token as user gitlab-ci-token (docs/design.md §13).
    /// Elsewhere: NAUTILUS_GITLAB_URL, --project and TF_HTTP_USERNAME with the GitLab token (a PAT with api scope),
    /// read as every GitLab call reads it (<see cref="GitLabOptions.ResolveAsync"/>: NAUTILUS_GITLAB_TOKEN or Vault).
    /// </summary>
    private static async Task<StateBackend> BackendAsync(CliContext context, string? project, CancellationToken cancellationToken)
    {
        var api = context.Ci.ApiV4Url;
        if (string.IsNullOrEmpty(api) && (context.Configuration["Nautilus:GitLab:Url"] ?? context.Ci.ServerUrl) is { Length: > 0 } url)
        {
            api = url.TrimEnd('/') + "/api/v4";
        }

        var projectRef = project ?? context.Ci.ProjectId;
        if (string.IsNullOrEmpty(api) || string.IsNullOrEmpty(projectRef))
        {
            throw NautilusException.Usage("No GitLab project for the Terraform state: run in GitLab CI (CI_API_V4_URL, CI_PROJECT_ID, CI_JOB_TOKEN), or set " +
                "NAUTILUS_GITLAB_URL and pass --project <id|group/project>.");
        }

        string username, password;
        if (context.Ci.JobToken is { Length: > 0 } jobToken)
        {
            (username, password) = ("gitlab-ci-token", jobToken);
        }
        else if (await GitLabOptions.ResolveAsync(context.Configuration, context.Ci, context.Secrets, context.Resilience, cancellationToken)
            .ConfigureAwait(false)
                 is { TokenKind: GitLabTokenKind.Private, Token: { Length: > 0 } token })
        {
            username = context.Environment.Variable("TF_HTTP_USERNAME") is { Length: > 0 } user
                ? user
                : throw NautilusException.Usage($"Outside GitLab CI the state backend authenticates as a GitLab user: set TF_HTTP_USERNAME to your GitLab " +
                    $"username (the password is {context.Secrets.Describe(SecretName.GitLabToken)}, a token with api scope).");
            password = token;
        }
        else
        {
            throw NautilusException.Auth($"No credentials for GitLab's Terraform state: CI_JOB_TOKEN (in CI) or " +
                $"{context.Secrets.Describe(SecretName.GitLabToken)} with TF_HTTP_USERNAME.");
        }

        context.Redactor.Register(password);
        return new StateBackend(api, projectRef, username, password);
    }

    /// <summary>Provider credentials from the secret source, as TF_VAR_* so they never appear on a command line.</summary>
    private static async Task<Dictionary<string, string>> VariablesAsync(CliContext context, CancellationToken cancellationToken)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (await context.Secrets.GetAsync(SecretName.VsphereUser, cancellationToken).ConfigureAwait(false) is { Length: > 0 } user)
        {
            variables["TF_VAR_vsphere_user"] = user;
        }

        if (await context.Secrets.GetAsync(SecretName.VspherePassword, cancellationToken).ConfigureAwait(false) is { Length: > 0 } password)
        {
            variables["TF_VAR_vsphere_password"] = password;
        }

        return variables;
    }
}
