using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Nautilus.Core;
using Nautilus.Core.NetBox;
using Nautilus.Core.Planning;

namespace Nautilus.Cli.Commands;

/// <summary>`nautilus netbox …`: reading and preparing NetBox.</summary>
internal static class NetBoxCommands
{
    public static Command Create(CliContextFactory contexts)
    {
        var netbox = new Command("netbox",
            "NetBox: export a work package, bootstrap custom fields and tags, create a planned VM (create-vm), set statuses (update-status).");
        netbox.Subcommands.Add(Export(contexts));
        netbox.Subcommands.Add(Bootstrap(contexts));
        netbox.Subcommands.Add(UpdateStatus(contexts));
        netbox.Subcommands.Add(CreateVm(contexts));
        return netbox;
    }

    private static Command Export(CliContextFactory contexts)
    {
        var wpOption = CommonOptions.Wp();
        var output = new Option<string?>("--out", "-o") { Description = "Write to this file (atomically) instead of stdout." };
        var command = new Command("export",
            "Write the work package's VMs, devices and tags (and those of the work packages it depends on) as an export file for --source.");
        command.Options.Add(wpOption);
        command.Options.Add(output);
        command.SetAction(async (result, ct) =>
        {
            var context = contexts.Get();
            var workPackage = context.ResolveWorkPackage(result.GetValue(wpOption));
            var source = await context.NetBoxSourceAsync(result, workPackage, ct, keepUnknownFields: true).ConfigureAwait(false);
            var snapshot = await source.LoadWorkPackageAsync(workPackage, ct).ConfigureAwait(false);

            // Objects of the packages this one depends on travel along, so an air-gapped job can still evaluate its gates.
            var plan = Planner.Plan(snapshot, workPackage, source.Description, statuses: null);
            foreach (var other in plan.WorkPackageDependencies)
            {
                var more = await source.LoadWorkPackageAsync(other, ct).ConfigureAwait(false);
                snapshot = Merge(snapshot, more);
            }

            if (result.GetValue(output) is { Length: > 0 } path)
            {
                await AtomicFile.WriteAsync(Path.GetFullPath(path, context.Environment.CurrentDirectory),
                    file => JsonOutput.WriteAsync(file, snapshot, NetBoxSnapshot.JsonOptions, ct), ct).ConfigureAwait(false);
                context.LoggerFactory.CreateLogger("export").LogInformation(
                    "Wrote {Vms} virtual machines and {Devices} devices of {Wp} to {Path}", snapshot.VirtualMachines.Count, snapshot.Devices.Count,
                        workPackage, path);
            }
            else
            {
                await JsonOutput.WriteAsync(context.Out, snapshot, NetBoxSnapshot.JsonOptions, ct).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    private static NetBoxSnapshot Merge(NetBoxSnapshot a, NetBoxSnapshot b) => a with
    {
        VirtualMachines = a.VirtualMachines.Concat(b.VirtualMachines).DistinctBy(o => o.Id).OrderBy(o => o.Id).ToList(),
        Devices = a.Devices.Concat(b.Devices).DistinctBy(o => o.Id).OrderBy(o => o.Id).ToList(),
        Tags = a.Tags.Concat(b.Tags).DistinctBy(t => t.Id).OrderBy(t => t.Id).ToList(),
    };

    private static Command Bootstrap(CliContextFactory contexts)
    {
        var wps = new Option<string[]>("--wp") { Description = "Create the tag wp:<wp> for these work packages (repeatable)." };
        var waves = new Option<string[]>("--wave") { Description = "Create the tag wave:<w> for these waves (repeatable)." };
        var dryRun = CommonOptions.DryRun();
        var command = new Command("bootstrap",
            "Create Nautilus's custom fields (deployment_sequence, deployment_wave, estimated_duration, rollback_complexity) and the priority:, wp: and " +
            "wave: tags asked for. Safe to run again: existing ones are left as they are.");
        command.Options.Add(wps);
        command.Options.Add(waves);
        command.Options.Add(dryRun);
        command.SetAction(async (result, ct) =>
        {
            var context = contexts.Get();
            var problems = new List<string>();
            foreach (var wp in result.GetValue(wps) ?? [])
            {
                if (!WorkPackage.IsValid(wp))
                {
                    problems.Add($"--wp '{wp}' is not a valid work package name (a-z, 0-9, '-', up to 49 characters)");
                }
            }

            foreach (var wave in result.GetValue(waves) ?? [])
            {
                if (string.IsNullOrWhiteSpace(wave) || wave.Length > 90)
                {
                    problems.Add($"--wave '{wave}' must be 1-90 characters");
                }
            }

            if (problems.Count > 0)
            {
                throw NautilusException.Usage(string.Join("; ", problems) + ".");
            }

            var client = await context.NetBoxClientAsync(result, null, ct).ConfigureAwait(false);
            var bootstrap = new NetBoxBootstrap(client, result.GetValue(dryRun));
            var actions = await bootstrap.RunAsync(result.GetValue(wps) ?? [], result.GetValue(waves) ?? [], ct).ConfigureAwait(false);
            foreach (var action in actions)
            {
                await context.Out.WriteLineAsync(action).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    private static Command UpdateStatus(CliContextFactory contexts)
    {
        var tag = new Option<string?>("--tag") { Description = "Objects carrying this tag, by name (e.g. wp:dc1-refresh). Default: the current work " +
            "package's tag." };
        var wpOption = CommonOptions.Wp();
        var status = new Option<string>("--status") { Description = "The new status (active, planned, staged, offline, failed, decommissioning; paused for " +
            "VMs, inventory for devices).", Required = true };
        var from = new Option<string?>("--from") { Description = "Only objects whose status is this one (e.g. planned)." };
        var dryRun = CommonOptions.DryRun();
        var selection = new CommonOptions.SelectionOptions();
        var ids = new Option<string[]>("--id") { Description = "Only these objects: vm:<id>, device:<id>, or <id> for either kind (repeat or " +
            "comma-separate). With --name, an object named by either is taken." };
        var names = new Option<string[]>("--name") { Description = "Only the objects with this NetBox name (repeatable)." };
        var command = new Command("update-status",
            "Set the status of every VM and device carrying a tag (and matching the filters) with bulk PATCHes of at most 500 objects, a journal entry on " +
            "each; prints what changed.");
        command.Options.Add(tag);
        command.Options.Add(wpOption);
        command.Options.Add(status);
        command.Options.Add(from);
        command.Options.Add(dryRun);
        selection.AddTo(command);
        command.Options.Add(ids);
        command.Options.Add(names);
        command.SetAction(async (result, ct) =>
        {
            var context = contexts.Get();
            var target = result.GetValue(status)!;
            NetBoxSync.ValidateStatus(target, result.GetValue(from));
            var filters = selection.Read(result).WithObjects(result.GetValue(ids), result.GetValue(names));
            var tagName = result.GetValue(tag) is { Length: > 0 } t ? t : WorkPackage.TagName(context.ResolveWorkPackage(result.GetValue(wpOption)));
            var isDryRun = result.GetValue(dryRun);

            // The work package whose NetBox branch is written: the one the tag names (wp:<wp>), else the current one.
            var workPackage = Tags.ValueOf(tagName, Tags.WorkPackagePrefix) is { Length: > 0 } tagged && WorkPackage.IsValid(tagged)
                ? tagged
                : context.TryResolveWorkPackage(result.GetValue(wpOption));
            var client = await context.NetBoxClientAsync(result, workPackage, ct).ConfigureAwait(false);
            var changes = await SetStatusAsync(client, context.LoggerFactory.CreateLogger("sync"), tagName, target, filters, result.GetValue(from), isDryRun,
                ct).ConfigureAwait(false);
            foreach (var change in changes)
            {
                await context.Out.WriteLineAsync($"{(isDryRun ? "would change " : "changed ")}{change.Target}: {change.FromStatus} → {change.ToStatus}")
                    .ConfigureAwait(false);
            }

            var byTransition = changes.GroupBy(c => $"{c.FromStatus} → {c.ToStatus}").Select(g => $"{g.Count()} {g.Key}");
            await context.Out.WriteLineAsync(changes.Count == 0
                ? $"Nothing to change: no object tagged {tagName} (filters {filters}) has a status other than {target}."
                : $"{(isDryRun ? "Would change" : "Changed")} {changes.Count} object(s) tagged {tagName}{context.NetBoxScopeSuffix}: " +
                    $"{string.Join(", ", byTransition)}{(isDryRun ? " (dry run: NetBox was not changed)" : "")}.").ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>A tag NetBox does not have: for wp:&lt;name&gt; the same words as every unknown work package (known ones, close match).</summary>
    private static async Task<NautilusException> UnknownTagAsync(NetBoxClient client, string tagName, CancellationToken cancellationToken)
    {
        if (Tags.ValueOf(tagName, Tags.WorkPackagePrefix) is { } wp)
        {
            return await client.UnknownWorkPackageAsync(wp, cancellationToken).ConfigureAwait(false);
        }

        var tags = await client.ListTagsAsync(new Dictionary<string, object> { ["brief"] = "true" }, cancellationToken).ConfigureAwait(false);
        return NautilusException.InvalidData(
            $"NetBox at {client.Options.BaseUrl} has no tag '{tagName}'.{Spelling.DidYouMean(tagName, tags.Select(t => t.Name))} Check the name: a work " +
                $"package's tag is wp:<work package>.");
    }

    /// <summary>
    /// Every VM and device carrying the tag (with status <paramref name="from"/> when given) and matching the filters,
    /// set to <paramref name="status"/> through the one NetBox sync, with a journal entry on each object changed.
    /// </summary>
    private static async Task<IReadOnlyList<SyncChange>> SetStatusAsync(
        NetBoxClient client, ILogger logger, string tagName, string status, Selection selection, string? from, bool dryRun, CancellationToken cancellationToken)
    {
        var tag = await client.FindTagAsync(tagName, cancellationToken).ConfigureAwait(false)
            ?? throw await UnknownTagAsync(client, tagName, cancellationToken).ConfigureAwait(false);

        var query = from is null ? ObjectQuery.ForTag(tag.Slug) : ObjectQuery.ForTag(tag.Slug, from);
        var vms = await client.ListVirtualMachinesAsync(query, cancellationToken).ConfigureAwait(false);
        var devices = await client.ListDevicesAsync(query, cancellationToken).ConfigureAwait(false);
        var tagged = vms.Cast<NetBoxObject>().Concat(devices).Where(o => o.StatusValue != status).ToList();
        var selected = selection.IsEmpty
            ? tagged
            : Planner.Classify(tagged, $"NetBox at {client.Options.BaseUrl} (tag {tagName})").Where(selection.Matches).Select(p => p.Source).ToList();

        var invalid = selected.Where(o => !(o.Kind == ObjectKind.VirtualMachine ? NetBoxSync.VmStatuses : NetBoxSync.DeviceStatuses).Contains(status)).ToList();
        if (invalid.Count > 0)
        {
            var kind = invalid[0].Kind == ObjectKind.VirtualMachine ? "virtual machines" : "devices";
            var holds = string.Join(", ", invalid.Take(5).Select(NetBoxConventions.Describe)) + (invalid.Count > 5 ? $" and {invalid.Count - 5} more" : "");
            throw NautilusException.InvalidData(
                $"Status '{status}' does not exist for {kind} in NetBox, and the selection holds {holds}. Choose another status or narrow the selection.");
        }

        if (dryRun)
        {
            return NetBoxSync.Pending(selected, status, from);
        }

        var sync = new NetBoxSync(client, logger);
        var changes = await sync.SetStatusAsync(selected, status, from, cancellationToken).ConfigureAwait(false);
        foreach (var group in changes.GroupBy(c => c.FromStatus))
        {
            await sync.JournalAsync(group.Select(c => c.Target).ToList(), $"Status {group.Key} → {status} by Nautilus (netbox update-status --tag {tagName}).",
                JournalKind.Info, marker: null, resume: false, cancellationToken).ConfigureAwait(false);
        }

        return changes;
    }

    private static Command CreateVm(CliContextFactory contexts)
    {
        var wpOption = CommonOptions.Wp();
        var name = new Option<string>("--name") { Description = "The VM's name.", Required = true };
        var role = new Option<string>("--role") { Description = "Role, by name or slug.", Required = true };
        var cluster = new Option<string>("--cluster") { Description = "Cluster, by name.", Required = true };
        var site = new Option<string?>("--site") { Description = "Site, by name or slug." };
        var vcpus = new Option<decimal?>("--vcpus") { Description = "Virtual CPUs (NetBox takes decimals, e.g. 2 or 0.5)." };
        var memory = new Option<long?>("--memory") { Description = "Memory in MB." };
        var disk = new Option<long?>("--disk") { Description = "Disk in MB." };
        var wave = new Option<string?>("--wave") { Description = "Deployment wave (custom field deployment_wave, else a wave: tag)." };
        var sequence = new Option<int?>("--sequence") { Description = "Deployment sequence (custom field deployment_sequence)." };
        var priority = new Option<string?>("--priority") { Description = "high, medium or low (tag priority:<p>)." };
        var dryRun = CommonOptions.DryRun();
        var command = new Command("create-vm", "Create a planned virtual machine tagged with the current work package.");
        foreach (var option in new Option[] { wpOption, name, role, cluster, site, vcpus, memory, disk, wave, sequence, priority, dryRun })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            var context = contexts.Get();
            var request = new VmRequest
            {
                WorkPackage = context.ResolveWorkPackage(result.GetValue(wpOption)),
                Name = result.GetValue(name)!,
                Role = result.GetValue(role)!,
                Cluster = result.GetValue(cluster)!,
                Site = result.GetValue(site),
                Vcpus = result.GetValue(vcpus),
                Memory = result.GetValue(memory),
                Disk = result.GetValue(disk),
                Wave = result.GetValue(wave),
                Sequence = result.GetValue(sequence),
                Priority = result.GetValue(priority),
            };
            VmCreation.Validate(request);
            var client = await context.NetBoxClientAsync(result, request.WorkPackage, ct).ConfigureAwait(false);
            var (_, actions) = await new VmCreation(client).RunAsync(request, result.GetValue(dryRun), ct).ConfigureAwait(false);
            foreach (var action in actions)
            {
                await context.Out.WriteLineAsync(action).ConfigureAwait(false);
            }

            if (context.NetBoxScopeSuffix is { Length: > 0 } scope)
            {
                await context.Out.WriteLineAsync($"Written{scope}.").ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }
}
