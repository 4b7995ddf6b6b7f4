using System.Globalization;
using System.Text;
using System.Text.Json;
using Nautilus.Core.GitLab;
using Nautilus.Core.Secrets;
using Nautilus.Core.Terraform;

namespace Nautilus.Core.PlanNotes;

/// <summary>Builds the comment's view-model from the plans: counts, NetBox links, masked attribute changes.</summary>
public static class PlanCommentBuilder
{
    public static string MarkerFor(string workPackage) => $"<!-- nautilus:plan:{workPackage} -->";

    public static PlanCommentModel Build(PlanSet plans, PlanCommentContext context, SecretRedactor redactor, DetailLimits limits)
    {
        var waves = plans.Waves.AsParallel().AsOrdered().Select(w => BuildWave(w, context.NetBoxUrl ?? plans.NetBoxUrl, redactor, limits)).ToList();
        var netbox = context.NetBoxChanges is { } changes ? NetBoxChangesSection.Build(changes, redactor, limits) : null;
        var truncated = waves.Any(w => w.Hidden > 0 || w.Resources.Any(r => r.HiddenAttributes > 0)) || netbox?.Hidden > 0
            || netbox?.Changes.Any(c => c.HiddenFields > 0) == true
            || (!limits.ShowText && plans.Waves.Any(w => w.ShowText is not null));
        var pipelineMd = PipelineLink(context);
        var artifacts = context.ArtifactsUrl is { Length: > 0 } url
            ? MarkdownText.WebLink("the plan jobs' artifacts", url)
            : pipelineMd is not null ? "the plan jobs' artifacts in " + pipelineMd : "the plan jobs' artifacts";
        var totals = waves.Aggregate(new PlanCounts(), (sum, w) => sum.Add(w.Counts));
        var columns = Columns.Where(c => waves.Any(w => w.HasPlan && c.Count(w.Counts) > 0)).ToList();
        return new PlanCommentModel
        {
            Marker = MarkerFor(plans.WorkPackage),
            WorkPackage = plans.WorkPackage,
            WorkPackageMd = MarkdownText.Code(plans.WorkPackage),
            Totals = totals,
            DestroyedMd = Destroyed(totals),
            Columns = columns.Select(c => new ColumnView(c.Title, c.Rule)).ToList(),
            Waves = waves.Select(w =>
                w with { Cells = columns.Select(c => w.HasPlan ? c.Count(w.Counts).ToString(CultureInfo.InvariantCulture) : "–").ToList() }).ToList(),
            FailedWaves = waves.Count(w => w.Status == "failed"),
            MissingWaves = waves.Count(w => w.Status == "missing"),
            Truncated = truncated,
            ArtifactsMd = artifacts,
            CommitMd = context.CommitSha is { Length: > 0 } sha ? MarkdownText.Code(sha.Length > 8 ? sha[..8] : sha) : null,
            PipelineMd = pipelineMd,
            Generator = context.Generator,
            WarningsMd = plans.Warnings.Select(w => MarkdownText.Code(w)).ToList(),
            Netbox = netbox,
        };
    }

    /// <summary>How many of a failed step's last output lines the note shows: Terraform's error boxes, not its progress.</summary>
    public const int ErrorLines = 40;

    /// <summary>The count columns of the summary table, in order; one that is 0 in every wave with a plan is left out.</summary>
    private static readonly (string Title, string Rule, Func<PlanCounts, int> Count)[] Columns =
    [
        ("Create", "-------:", c => c.Create),
        ("Update", "-------:", c => c.Update),
        ("Replace", "--------:", c => c.Replace),
        ("Delete", "-------:", c => c.Delete),
        ("Import", "-------:", c => c.Import),
        ("No-op", "------:", c => c.NoOp),
    ];

    /// <summary>
    /// "pipeline [#5150](url)": the id from CI_PIPELINE_ID, else the URL's last segment when it is a number; without
    /// either, the word itself is the link. Null without a pipeline URL.
    /// </summary>
    private static string? PipelineLink(PlanCommentContext context)
    {
        if (context.PipelineUrl is not { Length: > 0 } url)
        {
            return null;
        }

        var id = context.PipelineId is { Length: > 0 } given ? given.Trim() : url.TrimEnd('/').Split('/')[^1];
        return id.Length > 0 && id.All(char.IsAsciiDigit) ? "pipeline " + MarkdownText.WebLink("#" + id, url) : MarkdownText.WebLink("pipeline", url);
    }

    /// <summary>The warning above the table, naming only the parts that are not zero; null when nothing is destroyed.</summary>
    public static string? Destroyed(PlanCounts totals)
    {
        static string Resources(int n) => n == 1 ? "1 resource" : $"{n.ToString(CultureInfo.InvariantCulture)} resources";
        return (totals.Delete, totals.Replace) switch
        {
            (0, 0) => null,
            (var d, 0) => $"**{Resources(d)} will be destroyed**",
            (0, var r) => $"**{Resources(r)} will be replaced** (destroyed and created again)",
            (var d, var r) => $"**{Resources(d + r)} will be destroyed**: {d.ToString(CultureInfo.InvariantCulture)} deleted, " +
                $"{r.ToString(CultureInfo.InvariantCulture)} replaced (destroyed and created again)",
        };
    }

    private static WaveView BuildWave(WavePlanFile wave, string? netBoxUrl, SecretRedactor redactor, DetailLimits limits)
    {
        var plan = wave.Plan;
        var status = wave.Failed ? "failed" : plan is null ? "missing" : wave.Level is null ? "unplanned" : "planned";
        var counts = plan is null ? new PlanCounts() : Count(plan);
        var listed = plan?.Resources
            .Where(r => r.Action != PlanAction.NoOp || r.IsImport || r.IsMove)
            .OrderBy(r => Severity(r))
            .ThenBy(r => r.Address, StringComparer.Ordinal)
            .ToList() ?? [];
        var shown = listed.Take(limits.ResourcesPerWave).Select(r => Resource(r, wave.Identities, netBoxUrl, redactor, limits)).ToList();
        var drift = plan?.Drift.Take(limits.ResourcesPerWave).Select(r => Resource(r, wave.Identities, netBoxUrl, redactor, limits)).ToList() ?? [];
        var outputs = (plan?.OutputChanges ?? [])
            .Where(kv => kv.Key != TerraformOutputs.OutputName && kv.Value.Action != PlanAction.NoOp)
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(limits.ResourcesPerWave)
            .Select(kv => Output(kv.Key, kv.Value, redactor))
            .ToList();
        return new WaveView
        {
            Name = wave.Name,
            NameMd = MarkdownText.TableCode(wave.Name),
            NameHtml = MarkdownText.HtmlCode(wave.Name),
            Level = wave.Level?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "–",
            Status = status,
            StatusMd = status switch
            {
                "missing" => ":grey_question: " + MarkdownText.WebLink("no plan", wave.JobUrl),
                "failed" => ":x: " + MarkdownText.WebLink("plan failed", wave.JobUrl),
                _ when counts.Destroyed > 0 => $":warning: {counts.Destroyed} destroyed",
                _ when counts.HasChanges => ":white_check_mark: planned",
                _ => "no changes",
            },
            Counts = counts,
            SummaryText = status switch
            {
                "missing" => "no plan",
                "failed" when plan is null || !counts.HasChanges => "plan failed",
                "failed" => counts.Summary + " · plan failed",
                _ => counts.Summary,
            },
            JobMd = wave.JobUrl is { } job && MarkdownText.WebLink("job", job) is var link && link != "job" ? link : null,
            ErrorMd = status == "failed" && (wave.ErrorText ?? wave.Problem) is { } error && !string.IsNullOrWhiteSpace(error)
                ? MarkdownText.CodeBlock(MarkdownText.LastLines(redactor.Redact(error), ErrorLines, 300))
                : null,
            ShowMd = limits.ShowText && wave.ShowText is { } show ? MarkdownText.CodeBlock(redactor.Redact(show)) : null,
            ShowCut = wave.ShowTextCut,
            HasPlan = plan is not null,
            Cells = [],
            Resources = shown,
            Hidden = listed.Count - shown.Count + Math.Max(0, (plan?.Drift.Count ?? 0) - drift.Count),
            Drift = drift,
            Outputs = outputs,
            TerraformVersion = plan?.TerraformVersion,
        };
    }

    public static PlanCounts Count(TerraformPlan plan)
    {
        int create = 0, update = 0, replace = 0, delete = 0, import = 0, noop = 0, forget = 0, move = 0, read = 0;
        foreach (var r in plan.Resources)
        {
            if (r.IsImport)
            {
                import++;
            }

            if (r.IsMove)
            {
                move++;
            }

            switch (r.Action)
            {
                case PlanAction.NoOp when !r.IsImport && !r.IsMove:
                    noop++;
                    break;
                case PlanAction.Create:
                    create++;
                    break;
                case PlanAction.Update:
                    update++;
                    break;
                case var a when a.IsReplace():
                    replace++;
                    break;
                case PlanAction.Delete:
                    delete++;
                    break;
                case PlanAction.Forget:
                    forget++;
                    break;
                case PlanAction.Read:
                    read++;
                    break;
            }
        }

        return new PlanCounts
        {
            Create = create,
            Update = update,
            Replace = replace,
            Delete = delete,
            Import = import,
            NoOp = noop,
            Forget = forget,
            Move = move,
            Read = read,
            Drift = plan.Drift.Count,
            OutputChanges = (plan.OutputChanges ?? []).Count(kv => kv.Key != TerraformOutputs.OutputName && kv.Value.Action != PlanAction.NoOp),
        };
    }

    /// <summary>Destructive changes first, so truncation never hides them.</summary>
    private static int Severity(ResourceChange r) => r.Action switch
    {
        PlanAction.Delete => 0,
        PlanAction.ReplaceDestroyBeforeCreate or PlanAction.ReplaceCreateBeforeDestroy => 1,
        PlanAction.Forget => 2,
        PlanAction.Unknown => 3,
        PlanAction.Update => 4,
        PlanAction.Create => 5,
        _ when r.IsImport => 6,
        _ when r.IsMove => 7,
        _ => 8,
    };

    private static ResourceView Resource(ResourceChange r, IReadOnlyDictionary<string, NetBoxIdentity> identities, string? netBoxUrl, SecretRedactor redactor,
        DetailLimits limits)
    {
        var identity = IdentityOf(r.Address, identities) ?? (r.PreviousAddress is { } previous ? IdentityOf(previous, identities) : null);
        string? netbox = null;
        if (identity is not null)
        {
            var label = $"{identity.Name ?? identity.Kind} ({identity.Kind} {identity.Id})";
            netbox = identity.LinkUnder(netBoxUrl) is { } url ? MarkdownText.Link(redactor.Redact(label), url) : MarkdownText.Code(redactor.Redact(label));
        }

        // Changes show what changes; creates their key attributes (name, size, address: KeyAttributes).
        var attributes = r.Action is PlanAction.Update || r.Action.IsReplace()
            ? SensitiveValues.ChangedAttributes(r.Change, redactor.Redact)
                .Select(a => Attribute(a.Name, a.Before, a.After, a.Sensitive ? null : MultiLine(Property(r.Change.Before, a.Name), redactor),
                    a.Sensitive || a.After == SensitiveValues.KnownAfterApply ? null : MultiLine(Property(r.Change.After, a.Name), redactor),
                    a.ForcesReplacement, a.Sensitive))
                .ToList()
            : r.Action is PlanAction.Create
                ? KeyAttributes.Of(r, redactor.Redact)
                    .Select(a => Attribute(a.Name, null, a.Display, null, a.Sensitive ? null : MultiLineText(a.Raw), false, a.Sensitive)).ToList()
                : [];
        var action = r.Action == PlanAction.Unknown ? string.Join(", ", r.Change.Actions) : r.Action.Describe();
        if (r.Action == PlanAction.NoOp && r.IsImport)
        {
            action = "import";
        }
        else if (r.Action == PlanAction.NoOp && r.IsMove)
        {
            action = "move";
        }
        else if (r.IsImport)
        {
            action = "import, then " + action;
        }

        if (r.Deposed is not null)
        {
            action += " (deposed object)";
        }

        return new ResourceView
        {
            Address = r.Address,
            AddressMd = MarkdownText.Code(redactor.Redact(r.Address)),
            Symbol = SymbolOf(r),
            SymbolMd = MarkdownText.Code(SymbolOf(r)),
            Action = r.Action.ToString(),
            ActionText = action,
            Destroys = r.Action is PlanAction.Delete || r.Action.IsReplace(),
            Imported = r.IsImport,
            ImportIdMd = r.Change.Importing is { ValueKind: JsonValueKind.Object } importing && importing.TryGetProperty("id", out var id)
                && id.ValueKind == JsonValueKind.String
                ? MarkdownText.Code(redactor.Redact(id.GetString()))
                : null,
            PreviousAddressMd = r.IsMove ? MarkdownText.Code(redactor.Redact(r.PreviousAddress)) : null,
            ReasonText = Reason(r.ActionReason),
            NetboxMd = netbox,
            Attributes = attributes.Take(limits.AttributesPerResource).ToList(),
            HiddenAttributes = Math.Max(0, attributes.Count - limits.AttributesPerResource),
        };
    }

    /// <summary>The most lines of one multi-line value the note shows.</summary>
    private const int MultiLineLines = 40;

    /// <summary>
    /// One attribute: "before → after" in code spans, or, when a value is a multi-line string (a script, a certificate),
    /// a verbatim block per side under it, nested in the attribute's list item.
    /// </summary>
    private static AttributeView Attribute(string name, string? before, string after, string? beforeText, string? afterText, bool forcesReplacement,
        bool sensitive)
    {
        if (beforeText is null && afterText is null)
        {
            return new AttributeView(MarkdownText.Code(name), before is null ? null : MarkdownText.Code(before), MarkdownText.Code(after), forcesReplacement,
                sensitive) { BlockMd = null };
        }

        var block = new StringBuilder();
        if (before is null)
        {
            block.Append(MarkdownText.CodeBlock(afterText!, "    "));
        }
        else
        {
            foreach (var (side, text, value) in new[] { ("before", beforeText, before), ("after", afterText, after) })
            {
                block.Append(block.Length == 0 ? "" : "\n").Append("    - ").Append(side).Append(':')
                    .Append(text is null ? " " + MarkdownText.Code(value) : "\n" + MarkdownText.CodeBlock(text, "      "));
            }
        }

        return new AttributeView(MarkdownText.Code(name), null, "", forcesReplacement, sensitive) { BlockMd = block.ToString() };
    }

    private static JsonElement? Property(JsonElement? value, string name) =>
        value is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var child) ? child : null;

    /// <summary>A string value with a line break, redacted and cut to <see cref="MultiLineLines"/> lines; else null.</summary>
    private static string? MultiLine(JsonElement? value, SecretRedactor redactor) =>
        value is { ValueKind: JsonValueKind.String } s ? MultiLineText(redactor.Redact(s.GetString()!)) : null;

    private static string? MultiLineText(string? text)
    {
        if (text is null || !text.TrimEnd('\n', '\r').Contains('\n', StringComparison.Ordinal))
        {
            return null;
        }

        var lines = text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        return lines.Length <= MultiLineLines
            ? string.Join('\n', lines)
            : string.Join('\n', lines.Take(MultiLineLines)) + $"\n… {(lines.Length - MultiLineLines).ToString(CultureInfo.InvariantCulture)} more lines";
    }

    private static string SymbolOf(ResourceChange r) => r.Action switch
    {
        PlanAction.NoOp when r.IsImport => "<-",
        PlanAction.NoOp when r.IsMove => "->",
        _ => r.Action.Symbol(),
    };

    /// <summary>Exact address, or an instance of it (count/for_each: address[0], address["a"]).</summary>
    private static NetBoxIdentity? IdentityOf(string address, IReadOnlyDictionary<string, NetBoxIdentity> identities)
    {
        if (identities.TryGetValue(address, out var exact))
        {
            return exact;
        }

        var bracket = address.LastIndexOf('[');
        return bracket > 0 && address.EndsWith(']') && identities.TryGetValue(address[..bracket], out var parent) ? parent : null;
    }

    private static OutputView Output(string name, Change change, SecretRedactor redactor)
    {
        var sensitive = SensitiveValues.AnyTrue(change.AfterSensitive) || SensitiveValues.AnyTrue(change.BeforeSensitive);
        var value = change.Action == PlanAction.Delete ? "(removed)"
            : sensitive ? SensitiveValues.Masked
            : change.AfterUnknown is { ValueKind: JsonValueKind.True } ? SensitiveValues.KnownAfterApply
            : SensitiveValues.DisplayWithUnknowns(change.After, change.AfterUnknown, redactor.Redact, 120);
        return new OutputView(MarkdownText.Code(name), change.Action.Describe(), MarkdownText.Code(value), sensitive);
    }

    /// <summary>Terraform's action_reason values, in a reviewer's words.</summary>
    private static string? Reason(string? reason) => reason switch
    {
        null => null,
        "replace_because_tainted" => "tainted",
        "replace_because_cannot_update" => "an attribute forces replacement",
        "replace_by_request" => "replacement requested (-replace)",
        "replace_by_triggers" => "replace_triggered_by",
        "delete_because_no_resource_config" => "no longer in the configuration",
        "delete_because_wrong_repetition" => "count/for_each changed",
        "delete_because_count_index" => "count index out of range",
        "delete_because_each_key" => "for_each key removed",
        "delete_because_no_module" => "module removed",
        "delete_because_no_move_target" => "moved target missing",
        "read_because_config_unknown" => "config known only after apply",
        "read_because_dependency_pending" => "depends on pending changes",
        "read_because_check_nested" => "check block",
        _ => MarkdownText.OneLine(reason),
    };
}
