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
        var netbox = new Command("netbox", "NetBox: export a work package, bootstrap custom fields and tags.");
        netbox.Subcommands.Add(Export(contexts));
        netbox.Subcommands.Add(Bootstrap(contexts));
        return netbox;
    }

    private static Command Export(CliContextFactory contexts)
    {
        var wpOption = CommonOptions.Wp();
        var output = new Option<string?>("--out", "-o") { Description = "Write to this file (atomically) instead of stdout." };
        var command = new Command("export", "Write the work package's VMs, devices and tags (and those of the work packages it depends on) as an export file for --source.");
        command.Options.Add(wpOption);
        command.Options.Add(output);
        command.SetAction(async (result, ct) =>
        {
            var context = contexts.Get();
            var workPackage = context.ResolveWorkPackage(result.GetValue(wpOption));
            var source = await context.NetBoxSourceAsync(result, ct).ConfigureAwait(false);
            var snapshot = await source.LoadWorkPackageAsync(workPackage, ct).ConfigureAwait(false);

            // Objects of the packages this one depends on travel along, so an air-gapped job can still evaluate its gates.
            var plan = Planner.Plan(snapshot, workPackage, source.Description, statuses: null);
            foreach (var other in plan.WorkPackageDependencies)
            {
                var more = await source.LoadWorkPackageAsync(other, ct).ConfigureAwait(false);
                snapshot = Merge(snapshot, more);
            }

            var json = JsonSerializer.Serialize(snapshot, NetBoxSnapshot.JsonOptions).ReplaceLineEndings("\n") + "\n";
            if (result.GetValue(output) is { Length: > 0 } path)
            {
                await AtomicFile.WriteAllTextAsync(Path.GetFullPath(path, context.Environment.CurrentDirectory), json, ct).ConfigureAwait(false);
                context.LoggerFactory.CreateLogger("export").LogInformation(
                    "Wrote {Vms} virtual machines and {Devices} devices of {Wp} to {Path}", snapshot.VirtualMachines.Count, snapshot.Devices.Count, workPackage, path);
            }
            else
            {
                await context.Out.WriteAsync(json).ConfigureAwait(false);
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
        var command = new Command("bootstrap", "Create Nautilus's custom fields (deployment_sequence, deployment_wave, estimated_duration, rollback_complexity) and the priority:, wp: and wave: tags asked for. Safe to run again: existing ones are left as they are.");
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

            var client = await context.NetBoxClientAsync(result, ct).ConfigureAwait(false);
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
}
