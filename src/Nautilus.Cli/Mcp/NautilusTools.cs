using System.ComponentModel;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using Nautilus.Core;

namespace Nautilus.Cli.Mcp;

/// <summary>
/// The MCP tools (NAUTILUS.md, "Intent → command"). Reads run directly; the one write (status update)
/// is a dry-run unless the caller confirms by naming the work package, as the constitution's safety
/// protocol asks of agents.
/// </summary>
[McpServerToolType]
internal sealed class NautilusTools(McpSession session)
{
    [McpServerTool(Name = "wp_status", ReadOnly = true, Idempotent = true),
        Description("Waves of a work package in execution order, with level, objects, statuses and cross-package dependencies (nautilus wp status --format " +
        "json).")]
    public async Task<string> WpStatus(
        [Description("Work package, e.g. dc1-refresh. Empty: the current branch's.")] string? workPackage = null,
        [Description("Only these waves, comma-separated.")] string? wave = null,
        CancellationToken cancellationToken = default)
    {
        var args = new List<string> { "wp", "status", "--format", "json" };
        AddWp(args, workPackage);
        Add(args, "--wave", wave);
        return Data(await session.RunAsync(args, cancellationToken).ConfigureAwait(false));
    }

    [McpServerTool(Name = "generate", ReadOnly = true, Idempotent = true),
        Description("Generates the work package's Terraform and Ansible into a new temporary directory (nothing in the repository changes) and returns its " +
        "manifest.json: waves, levels, dependencies, objects.")]
    public async Task<string> Generate(
        [Description("Work package. Empty: the current branch's.")] string? workPackage = null,
        [Description("Terraform provider: vsphere (default), aws or azure.")] string? provider = null,
        CancellationToken cancellationToken = default)
    {
        var outDir = Directory.CreateTempSubdirectory("nautilus-mcp-").FullName;
        var args = new List<string> { "iac", "generate", "--out", outDir };
        AddWp(args, workPackage);
        Add(args, "--provider", provider);
        var outcome = await session.RunAsync(args, cancellationToken).ConfigureAwait(false);
        Check(outcome);
        var manifest = Directory.GetFiles(Path.Combine(outDir, ".nautilus"), "manifest.json", SearchOption.AllDirectories).Single();
        var json = JsonNode.Parse(await File.ReadAllTextAsync(manifest, cancellationToken).ConfigureAwait(false))!.AsObject();
        json["generated_into"] = outDir;
        return json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    [McpServerTool(Name = "plan_summary", ReadOnly = true, Idempotent = true),
        Description("Summarises Terraform plans (DIR/<wave>/plan.json from terraform show -json) as the Markdown the merge-request comment would carry; " +
        "posts nothing.")]
    public async Task<string> PlanSummary(
        [Description("Directory holding <wave>/plan.json files.")] string plansDir,
        [Description("Work package. Empty: the current branch's.")] string? workPackage = null,
        CancellationToken cancellationToken = default)
    {
        var args = new List<string> { "plan", "comment", "--plans-dir", plansDir, "--dry-run" };
        AddWp(args, workPackage);
        return Data(await session.RunAsync(args, cancellationToken).ConfigureAwait(false));
    }

    [McpServerTool(Name = "drift", ReadOnly = true, Idempotent = true),
        Description("Compares each wave's Terraform state in GitLab with NetBox: deployed but still planned, active but missing from state, attribute " +
        "mismatches. Returns the JSON report; drift found is a result, not an error.")]
    public async Task<string> Drift(
        [Description("Work package. Empty: the current branch's.")] string? workPackage = null,
        [Description("Read states from DIR/<wp>-<wave>.json (terraform state pull) instead of GitLab's state API.")] string? stateDir = null,
        CancellationToken cancellationToken = default)
    {
        var args = new List<string> { "drift", "--format", "json" };
        AddWp(args, workPackage);
        Add(args, "--state-dir", stateDir);
        var outcome = await session.RunAsync(args, cancellationToken).ConfigureAwait(false);
        return outcome.ExitCode == (int)ExitCode.DriftDetected ? outcome.Out : Data(outcome);
    }

    [McpServerTool(Name = "update_status", Destructive = true, Idempotent = true),
        Description("Sets the NetBox status of a work package's objects (e.g. planned → active). Without confirm it is a dry run that lists what would " +
        "change. To apply, call again with confirm set to the exact work package name, after a person has approved the dry run.")]
    public async Task<string> UpdateStatus(
        [Description("Work package whose objects change, e.g. dc1-refresh.")] string workPackage,
        [Description("New status: active, planned, staged, failed, offline, decommissioning.")] string status,
        [Description("Only these waves, comma-separated.")] string? wave = null,
        [Description("The work package name again, to apply for real. Anything else keeps this a dry run.")] string? confirm = null,
        CancellationToken cancellationToken = default)
    {
        if (!WorkPackage.IsValid(workPackage))
        {
            throw new McpException($"'{workPackage}' is not a valid work package name.");
        }

        var args = new List<string> { "netbox", "update-status", "--tag", WorkPackage.TagName(workPackage), "--status", status };
        Add(args, "--wave", wave);
        var confirmed = string.Equals(confirm, workPackage, StringComparison.Ordinal);
        if (!confirmed)
        {
            args.Add("--dry-run");
        }

        var outcome = await session.RunAsync(args, cancellationToken).ConfigureAwait(false);
        Check(outcome);
        return confirmed
            ? $"Applied: {outcome.CommandLine}\n{outcome.Out}"
            : $"DRY RUN, nothing changed: {outcome.CommandLine}\n{outcome.Out}\nTo apply, show this to a person, and after their approval call update_status " +
                $"again with confirm=\"{workPackage}\".";
    }

    private static void AddWp(List<string> args, string? workPackage) => Add(args, "--wp", workPackage);

    private static void Add(List<string> args, string option, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            args.Add(option);
            args.Add(value);
        }
    }

    private static string Data(CommandOutcome outcome)
    {
        Check(outcome);
        return outcome.Out;
    }

    private static void Check(CommandOutcome outcome)
    {
        if (outcome.ExitCode != 0)
        {
            throw new McpException($"{outcome.CommandLine} failed with exit code {outcome.ExitCode} ({Meaning(outcome.ExitCode)}): {outcome.Err.Trim()}");
        }
    }

    private static string Meaning(int code) => code switch
    {
        2 => "usage",
        3 => "invalid data",
        4 => "upstream unavailable",
        5 => "authentication failed",
        6 => "deploy failed",
        7 => "drift detected",
        8 => "generated code out of date",
        _ => "unexpected",
    };
}
