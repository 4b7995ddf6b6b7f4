using System.CommandLine;
using Microsoft.Extensions.Logging;
using Nautilus.Core;
using Nautilus.Core.NetBox;
using Nautilus.Core.Pipelines;
using Nautilus.Core.Planning;

namespace Nautilus.Cli.Commands;

/// <summary>`nautilus pipeline …`: the GitLab child pipeline of a work package (docs/design.md §5).</summary>
internal static class PipelineCommands
{
    private static readonly string[] PlannedOnly = ["planned"];

    public static Command Create(CliContextFactory contexts)
    {
        var pipeline = new Command("pipeline", "GitLab child pipelines: generate one per work package, and the gate its dependent waves wait on.");
        pipeline.Subcommands.Add(Generate(contexts));
        pipeline.Subcommands.Add(Gate(contexts));
        return pipeline;
    }

    private static Command Generate(CliContextFactory contexts)
    {
        var wpOption = CommonOptions.Wp();
        var selection = new CommonOptions.SelectionOptions();
        var output = new Option<string?>("--out",
            "-o") { Description = "Write the YAML to this file (atomically) instead of stdout, e.g. child-pipeline.yml." };
        var parentJob = new Option<string?>("--parent-job")
        {
            Description = "The parent pipeline's job that generated the code: child jobs download its artifacts (needs: pipeline: $PARENT_PIPELINE_ID). Omit " +
                "when the generated code is committed.",
        };
        var manualApply = new Option<bool>("--manual-apply") { Description = "Applies wait for someone to start them (when: manual)." };
        var tfBin = new Option<string?>("--tf-bin") { Description = "terraform or tofu, as NAUTILUS_TF_BIN of every job (default: NAUTILUS_TF_BIN, else " +
            "terraform)." };
        tfBin.AcceptOnlyFromAmong("terraform", "tofu");
        var image = new Option<string?>("--image") { Description = "Image of every job (default: the runner's)." };
        var terraformImage = new Option<string?>("--terraform-image") { Description = "Image of plan and apply jobs (default: --image)." };
        var ansibleImage = new Option<string?>("--ansible-image") { Description = "Image of configure jobs (default: --image)." };
        var maxNeeds = new Option<int>("--max-needs")
        {
            Description = "Most jobs one job may need; beyond it the job runs in stage order (GitLab's ci_max_needs).",
            DefaultValueFactory = _ => ChildPipelineOptions.GitLabMaxNeeds,
        };
        var maxBytes = new Option<long>("--max-bytes")
        {
            Description = "Largest YAML GitLab accepts (max_yaml_size_bytes); a bigger pipeline is an error.",
            DefaultValueFactory = _ => ChildPipelineOptions.GitLabMaxYamlBytes,
        };
        var manifestOption = new Option<string?>("--manifest")
        {
            Description = "Read the waves from this committed manifest (.nautilus/<wp>/manifest.json) instead of NetBox, as the default branch does: an edit " +
                "in NetBox after the review cannot change what is applied. --source/--netbox-url then only say where gate and apply jobs read NetBox.",
        };
        var idle = new Option<string?>("--idle")
        {
            Description = "Write a pipeline with one job that prints this reason, without reading NetBox (a default-branch commit that merged no work " +
                "package): GitLab refuses an empty child pipeline.",
        };

        var command = new Command(
            "generate",
            "Write the child pipeline of a work package: per wave plan:<wave>, apply:<wave> (default branch), configure:<wave>, a gate:<wp> per " +
                "depends-on:wp: tag, and nautilus:comment (merge requests). Run it beside 'nautilus iac generate' with the same source and filters.");
        command.Options.Add(wpOption);
        selection.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(parentJob);
        command.Options.Add(manualApply);
        command.Options.Add(tfBin);
        command.Options.Add(image);
        command.Options.Add(terraformImage);
        command.Options.Add(ansibleImage);
        command.Options.Add(maxNeeds);
        command.Options.Add(maxBytes);
        command.Options.Add(manifestOption);
        command.Options.Add(idle);
        command.Validators.Add(r =>
        {
            if (r.GetResult(idle) is not { Implicit: false })
            {
                return;
            }

            var ignored = new Option[] { wpOption, selection.Wave, selection.Priority, selection.Sprint, selection.Sequence, manifestOption }
                .Where(o => r.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
            if (ignored.Count > 0)
            {
                r.AddError($"--idle writes a pipeline that selects no work package, so {string.Join(", ", ignored)} would be ignored; drop " +
                    $"{(ignored.Count == 1 ? "it" : "them")} or --idle.");
            }
        });
        command.SetAction(async (result, ct) =>
        {
            var context = contexts.Get();
            var log = context.LoggerFactory.CreateLogger("pipeline");
            if (result.GetValue(maxNeeds) < 1)
            {
                throw NautilusException.Usage("--max-needs must be at least 1.");
            }

            var options = new ChildPipelineOptions
            {
                ParentJob = Blank(result.GetValue(parentJob)),
                ManualApply = result.GetValue(manualApply),
                TerraformBinary = result.GetValue(tfBin) ?? Blank(context.Configuration["Nautilus:Terraform:Binary"]) ?? "terraform",
                Image = Blank(result.GetValue(image)),
                TerraformImage = Blank(result.GetValue(terraformImage)),
                AnsibleImage = Blank(result.GetValue(ansibleImage)),
                MaxNeeds = result.GetValue(maxNeeds),
                MaxBytes = result.GetValue(maxBytes),
            };

            string yaml;
            if (Blank(result.GetValue(idle)) is { } reason)
            {
                yaml = ChildPipelineBuilder.Render(ChildPipelineBuilder.Idle(reason, options), "(none)", options);
                log.LogInformation("Idle child pipeline: {Reason}", reason);
            }
            else
            {
                var filters = selection.Read(result);
                WavePlan plan;
                string workPackage;
                if (Blank(result.GetValue(manifestOption)) is { } manifestFile)
                {
                    // The committed manifest, never a NetBox query: what was reviewed is what the pipeline applies.
                    var manifestPath = Path.GetFullPath(manifestFile, context.Environment.CurrentDirectory);
                    var manifest = Manifest.TryRead(manifestPath)
                        ?? throw NautilusException.Usage(
                            $"No committed manifest at {Relative(context.Environment.CurrentDirectory, manifestPath)}. The default branch applies the " +
                                $"generated code committed on the work package's branch: " +
                            "run 'nautilus iac generate' there and commit terraform/<wp>/, ansible/<wp>/ and .nautilus/<wp>/ (merge request pipelines check " +
                                "them with 'iac generate --check').");
                    workPackage = result.GetValue(wpOption) is { Length: > 0 } wp ? WorkPackage.Validate(wp, "--wp") : manifest.WorkPackage;
                    if (workPackage != manifest.WorkPackage)
                    {
                        throw NautilusException.Usage($"--wp {workPackage} does not match the manifest {manifestFile}, which is work package " +
                            $"{manifest.WorkPackage}.");
                    }

                    plan = ManifestPlan.From(manifest, filters, $"the committed manifest {Relative(context.Environment.CurrentDirectory, manifestPath)}");
                }
                else
                {
                    workPackage = context.ResolveWorkPackage(result.GetValue(wpOption));
                    var source = await context.NetBoxSourceAsync(result, workPackage, ct).ConfigureAwait(false);
                    var snapshot = await source.LoadWorkPackageAsync(workPackage, ct).ConfigureAwait(false);
                    plan = Planner.Plan(snapshot, workPackage, source.Description, filters, PlannedOnly);
                }

                if (result.GetValue(CommonOptions.Source) is { Length: > 0 } file)
                {
                    options = options with { SourceFile = Relative(context.Environment.CurrentDirectory, file) };
                }
                else if (Blank(result.GetValue(CommonOptions.NetBoxUrl)) is { } url)
                {
                    options = options with { NetBoxUrl = url };
                }

                var pipeline = ChildPipelineBuilder.Build(plan, options);
                yaml = ChildPipelineBuilder.Render(pipeline, workPackage, options);
                foreach (var warning in plan.Warnings.Concat(pipeline.Warnings))
                {
                    log.LogWarning("{Warning}", warning);
                }

                log.LogInformation(
                    "Child pipeline of {Wp}: {Waves} wave(s) in {Levels} level(s), {Jobs} jobs, {Bytes} bytes",
                    workPackage, plan.Waves.Count, plan.LevelCount, pipeline.Jobs.Count, System.Text.Encoding.UTF8.GetByteCount(yaml));
            }

            if (result.GetValue(output) is { Length: > 0 } path)
            {
                await AtomicFile.WriteAllTextAsync(Path.GetFullPath(path, context.Environment.CurrentDirectory), yaml, ct).ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteAsync(yaml).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    private static Command Gate(CliContextFactory contexts)
    {
        var other = new Argument<string>("wp") { Description = "The work package depended on (the <other> of a depends-on:wp:<other> tag)." };
        var dependent = new Option<string?>("--for") { Description = "The dependent work package, named in the messages." };
        var command = new Command(
            "gate",
            "Succeed when a work package is deployed (it has objects and none is planned any more), fail (exit 3) while it has planned objects or none at " +
                "all: the gate:<wp> job of a child pipeline, which the applies of dependent waves need.");
        command.Arguments.Add(other);
        command.Options.Add(dependent);
        command.SetAction(async (result, ct) =>
        {
            var context = contexts.Get();
            var wp = WorkPackage.Validate(result.GetValue(other)!, "argument wp");
            var forWp = result.GetValue(dependent) is { Length: > 0 } f ? WorkPackage.Validate(f, "--for") : null;
            var waiting = forWp is null ? "The waves that depend on it" : $"The waves of '{forWp}' that depend on it (tag depends-on:wp:{wp})";
            // Read from the dependent package's NetBox branch while it is open (its MR pipeline), else main.
            var source = await context.NetBoxSourceAsync(result, forWp ?? context.TryResolveWorkPackage(null), ct).ConfigureAwait(false);
            var count = await source.CountPlannedAsync(wp, ct).ConfigureAwait(false)
                ?? throw NautilusException.InvalidData(
                    $"The gate stays closed: {source.Description} holds no object of work package '{wp}' at all (nothing is tagged wp:{wp}), so it has not " +
                        $"been deployed. " +
                    $"{waiting} wait for it. A mistyped depends-on:wp:{wp} tag is the usual cause: fix it in NetBox. An export file must include the package " +
                        $"('nautilus netbox export' brings along the packages a work package depends on).");
            if (count == 0)
            {
                await context.Out.WriteLineAsync($"Work package '{wp}' has no planned objects left in {source.Description}: the gate is open.")
                    .ConfigureAwait(false);
                return 0;
            }

            var snapshot = await source.LoadWorkPackageAsync(wp, ct).ConfigureAwait(false);
            var planned = snapshot.Objects.Where(o => o.StatusValue == "planned").OrderBy(o => o.DisplayName, StringComparer.Ordinal).ToList();
            var names = string.Join(", ", planned.Take(10).Select(NetBoxConventions.Describe)) + (planned.Count > 10 ? $" and {planned.Count - 10} more" : "");
            throw NautilusException.InvalidData(
                $"Work package '{wp}' still has {count} planned object(s) in {source.Description}: {names}. {waiting} wait until it is deployed: " +
                $"deploy '{wp}' first (its objects become active), then run this pipeline again; or remove the depends-on:wp:{wp} tag if the dependency is " +
                    $"wrong.");
        });
        return command;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string Relative(string currentDirectory, string file)
    {
        var full = Path.GetFullPath(file, currentDirectory);
        var relative = Path.GetRelativePath(currentDirectory, full);
        return (relative.StartsWith("..", StringComparison.Ordinal) ? full : relative).Replace('\\', '/');
    }
}
