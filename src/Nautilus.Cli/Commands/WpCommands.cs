using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Nautilus.Core.NetBox;
using Nautilus.Core.Planning;

namespace Nautilus.Cli.Commands;

/// <summary>`nautilus wp …`: work-package commands.</summary>
internal static class WpCommands
{
    public static Command Create(CliContextFactory contexts)
    {
        var wp = new Command("wp", "Work packages: status of their waves and objects.");
        wp.Subcommands.Add(Status(contexts));
        return wp;
    }

    private static Command Status(CliContextFactory contexts)
    {
        var name = new Argument<string?>("wp") { Description = "Work package (default: --wp, else from the branch).", Arity = ArgumentArity.ZeroOrOne };
        var wpOption = CommonOptions.Wp();
        var format = CommonOptions.Format("text", "json");
        var selection = new CommonOptions.SelectionOptions();
        var command = new Command("status", "Waves in execution order with their level, objects and statuses, and the state of cross-package dependencies.");
        command.Arguments.Add(name);
        command.Options.Add(wpOption);
        command.Options.Add(format);
        selection.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var context = contexts.Get();
            var workPackage = context.ResolveWorkPackage(result.GetValue(name) ?? result.GetValue(wpOption));
            var filters = selection.Read(result);
            var source = await context.NetBoxSourceAsync(result, ct).ConfigureAwait(false);
            var snapshot = await source.LoadWorkPackageAsync(workPackage, ct).ConfigureAwait(false);
            var plan = Planner.Plan(snapshot, workPackage, source.Description, filters, statuses: null);
            var dependencies = new List<DependencyStatus>();
            foreach (var other in plan.WorkPackageDependencies)
            {
                dependencies.Add(new DependencyStatus(other, await source.CountPlannedAsync(other, ct).ConfigureAwait(false)));
            }

            var report = StatusReport.From(plan, dependencies);
            if (result.GetValue(format) == "json")
            {
                await context.Out.WriteAsync(JsonSerializer.Serialize(report, StatusReport.JsonOptions) + "\n").ConfigureAwait(false);
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
    [property: JsonPropertyName("selection")] string Selection,
    [property: JsonPropertyName("totals")] SortedDictionary<string, int> Totals,
    [property: JsonPropertyName("waves")] IReadOnlyList<StatusWave> Waves,
    [property: JsonPropertyName("dependencies")] IReadOnlyList<DependencyStatus> Dependencies,
    [property: JsonPropertyName("warnings")] IReadOnlyList<string> Warnings)
{
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static StatusReport From(WavePlan plan, IReadOnlyList<DependencyStatus> dependencies) => new(
        plan.WorkPackage,
        plan.Source,
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
        w.WriteLine($"Work package {WorkPackage}  (source {Source}; filters {Selection})");
        w.WriteLine($"{Waves.Sum(x => x.Objects.Count)} objects in {Waves.Count} waves: {Summarise(Totals)}");
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
                w.WriteLine($"    {(o.Sequence?.ToString(CultureInfo.InvariantCulture) ?? "-"),6}  {kind,-6}  {o.Status,-10}  {o.Name}  (id {o.Id}{(o.Priority is null ? "" : ", priority " + o.Priority)})");
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
