using System.CommandLine;
using Microsoft.Extensions.Logging;
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
        Description = "Folder of template overrides laid out like the built-in templates (terraform/<provider>/*.tf.sbn, ansible/*.yml.sbn); each file there replaces the built-in of the same name.",
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
        var output = new Option<string?>("--out", "-o") { Description = "Output root (default: CI_PROJECT_DIR, else the current directory). Writes terraform/<wp>/, ansible/<wp>/ and .nautilus/<wp>/manifest.json there." };
        var templates = TemplatesOption();
        var selection = new CommonOptions.SelectionOptions();
        var command = new Command(
            "generate",
            "Write one Terraform root module per wave (state <wp>-<wave>), the Ansible inventory and playbooks, and manifest.json for the work package's planned objects. Atomic, and byte-identical for the same input.");
        command.Options.Add(wpOption);
        command.Options.Add(provider);
        command.Options.Add(output);
        command.Options.Add(templates);
        selection.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var context = contexts.Get();
            var log = context.LoggerFactory.CreateLogger("iac");
            var workPackage = context.ResolveWorkPackage(result.GetValue(wpOption));
            var filters = selection.Read(result);
            var target = TerraformProvider.Parse(result.GetValue(provider));
            var store = TemplateStore.Load(ResolvePath(context, result.GetValue(templates)));
            var outDir = ResolvePath(context, result.GetValue(output)) ?? context.Environment.Variable("CI_PROJECT_DIR") ?? context.Environment.CurrentDirectory;

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var source = await context.NetBoxSourceAsync(result, workPackage, ct).ConfigureAwait(false);
            var snapshot = await source.LoadWorkPackageAsync(workPackage, ct).ConfigureAwait(false);
            log.LogDebug("Read {Count} objects from {Source} in {Ms} ms", snapshot.VirtualMachines.Count + snapshot.Devices.Count, source.Description, clock.ElapsedMilliseconds);
            clock.Restart();
            var plan = Planner.Plan(snapshot, workPackage, source.Description, filters, statuses: ["planned"]);
            log.LogDebug("Planned {Waves} waves in {Ms} ms (process CPU so far {Cpu} ms)", plan.Waves.Count, clock.ElapsedMilliseconds, (long)System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds);
            clock.Restart();
            var generator = new IacGenerator(new TemplateRenderer(store));
            var (generated, changed) = await OutputWriter.WriteAsync(outDir, workPackage, output => generator.Generate(plan, target, snapshot.DiskIsGigabytes, output), ct).ConfigureAwait(false);
            log.LogDebug("Rendered and wrote {Files} files in {Ms} ms (process CPU so far {Cpu} ms)", generated.Paths.Count, clock.ElapsedMilliseconds, (long)System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds);

            foreach (var warning in generated.Warnings)
            {
                await context.Error.WriteLineAsync("warning: " + Printable(warning)).ConfigureAwait(false);
            }

            if (plan.Waves.Count == 0)
            {
                log.LogWarning(
                    "Work package {Wp} has no planned objects in {Source} (filters {Filters}); wrote an empty layout. Tag VMs and devices with wp:{Wp} and status planned in NetBox.",
                    workPackage, source.Description, filters, workPackage);
            }

            var shown = Path.GetRelativePath(context.Environment.CurrentDirectory, outDir);
            shown = shown.StartsWith("..", StringComparison.Ordinal) ? outDir : shown;
            await context.Out.WriteLineAsync($"{(changed ? "Generated" : "Up to date:")} {workPackage} for {target.Name}: {plan.Objects.Count()} objects in {plan.Waves.Count} waves under {shown}").ConfigureAwait(false);
            foreach (var wave in plan.Waves)
            {
                await context.Out.WriteLineAsync($"  level {wave.Level}  {Path.Combine(shown, "terraform", workPackage, wave.Key)}  state {wave.StateName}  {wave.Objects.Count} objects").ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync($"  {Path.Combine(shown, "ansible", workPackage, "inventory.yml")}, site.yml, waves/").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"  {Path.Combine(shown, generated.ManifestPath)}").ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>Warnings quote NetBox names; control characters in them must not drive the terminal (ESC sequences).</summary>
    private static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));

    internal static string? ResolvePath(CliContext context, string? path) =>
        string.IsNullOrEmpty(path) ? null : Path.GetFullPath(path, context.Environment.CurrentDirectory);
}
