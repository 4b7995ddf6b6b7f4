using System.Globalization;
using System.Text;
using System.Text.Json;
using Nautilus.Core.GitLab;

namespace Nautilus.Core.Drift;

/// <summary>The drift report as text (terminal, job log), JSON (machines) or Markdown (an issue or MR note).</summary>
public static class DriftRendering
{
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Json(DriftReport report) => JsonSerializer.Serialize(report, JsonOptions).ReplaceLineEndings("\n") + "\n";

    public static string Text(DriftReport report)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var found = report.States.Count(s => s.Found);
        w.WriteLine($"Drift of work package {report.WorkPackage}: {report.Objects} planned or active object(s) in NetBox ({report.NetBox}), {found} of " +
            $"{report.States.Count} state(s) found ({report.StatesFrom}).");
        foreach (var s in report.States)
        {
            w.WriteLine($"  state {s.Name}: {(s.Found ? $"serial {s.Serial}, {s.Objects} NetBox object(s)" : "none yet (counts as empty)")}");
        }

        w.WriteLine();
        if (!report.Drifted)
        {
            w.WriteLine("No drift: NetBox and Terraform state agree.");
            return w.ToString();
        }

        w.WriteLine($"{report.Drift.Count} drift finding(s):");
        foreach (var group in report.Drift.GroupBy(d => d.Kind))
        {
            w.WriteLine($"  {group.Key} ({group.Count()}):");
            foreach (var d in group)
            {
                w.WriteLine($"    - {d.Message}");
            }
        }

        var deployed = report.Drift.Where(d => d.Kind == DriftDetector.Name(DriftKind.DeployedButPlanned)).ToList();
        if (deployed.Count > 1)
        {
            w.WriteLine();
            w.WriteLine("To mark only the deployed ones active in NetBox:");
            w.WriteLine("  " + DriftDetector.SyncCommand(report.WorkPackage,
                deployed.Select(d => (d.ObjectType == "dcim.device" ? NetBox.ObjectKind.Device : NetBox.ObjectKind.VirtualMachine, d.Id))));
        }

        return w.ToString();
    }

    /// <summary>
    /// An issue or note body. Every NetBox value goes through <see cref="MarkdownText"/>: code spans (no references, no
    /// Markdown, no HTML inside), and no line a GitLab quick action could run.
    /// </summary>
    public static string Markdown(DriftReport report, string? netboxUrl)
    {
        var sb = new StringBuilder();
        sb.Append("## Drift: work package ").Append(MarkdownText.Code(report.WorkPackage)).Append("\n\n");
        sb.Append(CultureInfo.InvariantCulture,
            $"{report.Objects} planned or active object(s) in NetBox, {report.States.Count(s => s.Found)} of {report.States.Count} Terraform state(s) found " +
            $"({MarkdownText.Code(report.StatesFrom)}).\n\n");
        if (!report.Drifted)
        {
            sb.Append("**No drift**: NetBox and Terraform state agree.\n");
            return MarkdownText.NeutraliseQuickActions(sb.ToString());
        }

        sb.Append(CultureInfo.InvariantCulture, $"**{report.Drift.Count} finding(s)**\n\n");
        sb.Append("| kind | object | wave | state | attribute | NetBox | Terraform |\n|---|---|---|---|---|---|---|\n");
        foreach (var d in report.Drift)
        {
            var link = netboxUrl is null
                ? MarkdownText.TableCode(d.Name)
                : MarkdownText.TableLink(d.Name, $"{netboxUrl.TrimEnd('/')}/{NetBoxPathOf(d.ObjectType)}/{d.Id.ToString(CultureInfo.InvariantCulture)}/");
            sb.Append(CultureInfo.InvariantCulture,
                $"| {d.Kind} | {link} (id {d.Id}) | {Cell(d.Wave)} | {Cell(d.State)} | {Cell(d.Attribute)} | {Cell(d.NetBox)} | {Cell(d.Terraform)} |\n");
        }

        sb.Append("\n<details><summary>What to do</summary>\n\n");
        foreach (var d in report.Drift)
        {
            sb.Append("- ").Append(MarkdownText.Code(d.Message)).Append('\n');
        }

        sb.Append("\n</details>\n");
        return MarkdownText.NeutraliseQuickActions(sb.ToString());
    }

    /// <summary>A table cell: empty, or the value as a code span with its pipes escaped.</summary>
    private static string Cell(string? text) => string.IsNullOrEmpty(text) ? "" : MarkdownText.TableCode(text);

    /// <summary>The NetBox UI path of an object type: dcim/devices or virtualization/virtual-machines.</summary>
    private static string NetBoxPathOf(string objectType) => objectType == "dcim.device" ? "dcim/devices" : "virtualization/virtual-machines";
}
