namespace Nautilus.Core.PlanNotes;

// View-models for templates/plan/comment.md.sbn. Members reach the template in snake_case. Every *_md
// field is already safe Markdown (MarkdownText), so an overriding template cannot forget to escape.

public sealed record PlanCommentModel
{
    public required string Marker { get; init; }
    public required string WorkPackage { get; init; }
    public required string WorkPackageMd { get; init; }
    public required PlanCounts Totals { get; init; }

    /// <summary>"**2 resources will be destroyed**: 1 deleted, 1 replaced (…)"; null when the plans destroy nothing.</summary>
    public required string? DestroyedMd { get; init; }

    /// <summary>The count columns of the summary table: those that are not 0 in every wave (Wave, Level and Status always show).</summary>
    public required IReadOnlyList<ColumnView> Columns { get; init; }
    public required IReadOnlyList<WaveView> Waves { get; init; }
    public required int FailedWaves { get; init; }
    public required int MissingWaves { get; init; }

    /// <summary>True when some resource lines were left out to stay under GitLab's note limit.</summary>
    public required bool Truncated { get; init; }

    /// <summary>Where the full plans are (the pipeline's plan job artifacts), as a Markdown link or plain words.</summary>
    public required string ArtifactsMd { get; init; }

    public required string? CommitMd { get; init; }

    /// <summary>"pipeline [#5150](url)" (the word "pipeline" included); null outside a pipeline.</summary>
    public required string? PipelineMd { get; init; }
    public required string Generator { get; init; }
    public required IReadOnlyList<string> WarningsMd { get; init; }

    /// <summary>The "NetBox changes" section: what the work package's NetBox branch changes when merged; null without one.</summary>
    public required NetBoxChangesView? Netbox { get; init; }
}

public sealed record PlanCounts
{
    public int Create { get; init; }
    public int Update { get; init; }
    public int Replace { get; init; }
    public int Delete { get; init; }
    public int Import { get; init; }
    public int NoOp { get; init; }
    public int Forget { get; init; }
    public int Move { get; init; }
    public int Read { get; init; }
    public int Drift { get; init; }
    public int OutputChanges { get; init; }

    /// <summary>Resources destroyed by this plan, replaced ones included: what a reviewer must not miss.</summary>
    public int Destroyed => Delete + Replace;

    public bool HasChanges => Create + Update + Replace + Delete + Import + Forget + Move > 0;

    public PlanCounts Add(PlanCounts o) => new()
    {
        Create = Create + o.Create,
        Update = Update + o.Update,
        Replace = Replace + o.Replace,
        Delete = Delete + o.Delete,
        Import = Import + o.Import,
        NoOp = NoOp + o.NoOp,
        Forget = Forget + o.Forget,
        Move = Move + o.Move,
        Read = Read + o.Read,
        Drift = Drift + o.Drift,
        OutputChanges = OutputChanges + o.OutputChanges,
    };

    /// <summary>"3 to create, 1 to destroy": the non-zero counts, for one line of text.</summary>
    public string Summary
    {
        get
        {
            var parts = new List<string>();
            void Part(int n, string words)
            {
                if (n > 0)
                {
                    parts.Add($"{n} {words}");
                }
            }

            Part(Create, "to create");
            Part(Update, "to update");
            Part(Replace, "to replace");
            Part(Delete, "to destroy");
            Part(Import, "to import");
            Part(Move, "moved");
            Part(Forget, "to forget");
            Part(Read, "to read");
            return parts.Count == 0 ? "no changes" : string.Join(", ", parts);
        }
    }
}

public sealed record WaveView
{
    public required string Name { get; init; }
    public required string NameMd { get; init; }
    public required string NameHtml { get; init; }

    /// <summary>The level from the manifest, or "–" when the wave is not in it.</summary>
    public required string Level { get; init; }

    /// <summary>planned, failed (errored plan), missing (no plan.json), or unplanned (a plan without a manifest wave).</summary>
    public required string Status { get; init; }
    public required string StatusMd { get; init; }
    public required PlanCounts Counts { get; init; }

    /// <summary>What the wave's &lt;summary&gt; says after its level: its counts, "plan failed" or "no plan".</summary>
    public required string SummaryText { get; init; }

    /// <summary>"[job](url)": the wave's plan job, when it saved its URL (CI_JOB_URL).</summary>
    public required string? JobMd { get; init; }

    /// <summary>A failed wave's error: the last lines of the failed Terraform step, masked, as a verbatim block.</summary>
    public required string? ErrorMd { get; init; }

    /// <summary>`terraform show` of the wave's plan as a verbatim block; null when not saved or left out to fit the limit.</summary>
    public required string? ShowMd { get; init; }

    /// <summary>True when <see cref="ShowMd"/> is only the start of plan.txt.</summary>
    public required bool ShowCut { get; init; }

    /// <summary>False when the wave has no readable plan: its counts are unknown, not 0.</summary>
    public required bool HasPlan { get; init; }

    /// <summary>The wave's values for <see cref="PlanCommentModel.Columns"/>: counts, or "–" without a plan.</summary>
    public required IReadOnlyList<string> Cells { get; init; }
    public required IReadOnlyList<ResourceView> Resources { get; init; }

    /// <summary>Resource lines left out of the details to stay under the note limit.</summary>
    public required int Hidden { get; init; }
    public required IReadOnlyList<ResourceView> Drift { get; init; }
    public required IReadOnlyList<OutputView> Outputs { get; init; }
    public required string? TerraformVersion { get; init; }
}

public sealed record ResourceView
{
    public required string Address { get; init; }
    public required string AddressMd { get; init; }
    public required string Symbol { get; init; }
    public required string SymbolMd { get; init; }
    public required string Action { get; init; }
    public required string ActionText { get; init; }
    public required bool Destroys { get; init; }
    public required bool Imported { get; init; }
    public required string? ImportIdMd { get; init; }
    public required string? PreviousAddressMd { get; init; }
    public required string? ReasonText { get; init; }

    /// <summary>The NetBox object the resource stands for, as a link (or plain code when no NetBox URL is known); null when unmapped.</summary>
    public required string? NetboxMd { get; init; }
    public required IReadOnlyList<AttributeView> Attributes { get; init; }
    public required int HiddenAttributes { get; init; }
}

/// <summary>A count column of the summary table: its title and its Markdown alignment rule.</summary>
public sealed record ColumnView(string Title, string Rule);

/// <summary>
/// One attribute of a resource: before → after for a change, the value alone (<see cref="BeforeMd"/> null) for a create.
/// A multi-line value is in <see cref="BlockMd"/> instead: verbatim blocks already indented to sit under the attribute.
/// </summary>
public sealed record AttributeView(string NameMd, string? BeforeMd, string AfterMd, bool ForcesReplacement, bool Sensitive)
{
    public string? BlockMd { get; init; }
}

public sealed record OutputView(string NameMd, string Action, string ValueMd, bool Sensitive);
