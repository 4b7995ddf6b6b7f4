using Nautilus.Core.GitLab;
using Nautilus.Core.Rendering;
using Nautilus.Core.Secrets;
using Nautilus.Core.Terraform;

namespace Nautilus.Core.PlanNotes;

/// <summary>
/// Renders the MR note from templates/plan/comment.md.sbn (overridable with --templates DIR, file
/// plan/comment.md.sbn), then makes it safe: every known secret masked, no line starting with '/',
/// and at most <see cref="GitLabClient.MaxNoteLength"/> characters, by leaving out the raw `terraform show` texts
/// first, then showing fewer resource lines per wave (destructive ones first) while the summary of every wave stays.
/// </summary>
public sealed class PlanCommentRenderer
{
    public const string TemplateName = "plan/comment.md.sbn";

    /// <summary>Successively smaller details, tried until the note fits.</summary>
    private static readonly DetailLimits[] Steps =
    [
        DetailLimits.Full,
        DetailLimits.Full with { ShowText = false },
        new(1000, 20),
        new(200, 10),
        new(50, 5),
        new(10, 0),
        new(0, 0),
    ];

    private readonly TemplateRenderer _renderer;

    /// <summary>The note's template comes from <paramref name="renderer"/>'s store and is parsed (and checked) now.</summary>
    public PlanCommentRenderer(TemplateRenderer renderer)
    {
        _renderer = renderer;
        _renderer.Validate([TemplateName]);
    }

    public int MaxLength { get; init; } = GitLabClient.MaxNoteLength;

    /// <summary>The built-in template, or DIR/plan/comment.md.sbn when it exists (the same lookup as every other template).</summary>
    public static PlanCommentRenderer Load(string? templatesDir) => new(new TemplateRenderer(TemplateStore.Load(templatesDir)));

    public string Render(PlanSet plans, PlanCommentContext context, SecretRedactor redactor)
    {
        // A value Terraform marks sensitive anywhere is masked everywhere, before the first render.
        foreach (var plan in plans.Waves.Select(w => w.Plan).OfType<TerraformPlan>())
        {
            foreach (var secret in SensitiveValues.Collect(plan))
            {
                redactor.Register(secret);
            }
        }

        // The note without details is needed whenever the full one is too long; on big plans it is, so both
        // render at once.
        var listed = plans.Waves.Select(w => w.Plan?.Resources.Count(r => r.Action != PlanAction.NoOp || r.IsImport || r.IsMove) ?? 0).ToList();
        var withoutDetails = listed.Sum() > 1000
            ? Task.Run(() => Finish(RenderModel(PlanCommentBuilder.Build(plans, context, redactor, Steps[^1])), redactor))
            : null;
        var body = Finish(RenderModel(PlanCommentBuilder.Build(plans, context, redactor, Steps[0])), redactor);
        if (body.Length <= MaxLength)
        {
            return body;
        }

        // The raw `terraform show` texts go first: the structured details say the same, with NetBox links.
        if (plans.Waves.Any(w => w.ShowText is not null))
        {
            body = Finish(RenderModel(PlanCommentBuilder.Build(plans, context, redactor, Steps[1])), redactor);
            if (body.Length <= MaxLength)
            {
                return body;
            }
        }

        // Too long: project each smaller step from the full note's characters per listed resource and
        // render only the steps that can fit, largest first (renders of a 10 MB plan are not free).
        var baseline = withoutDetails?.GetAwaiter().GetResult() ?? Finish(RenderModel(PlanCommentBuilder.Build(plans, context, redactor, Steps[^1])), redactor);
        var perResource = (double)(body.Length - baseline.Length) / Math.Max(1, listed.Sum());
        body = baseline;
        foreach (var limits in Steps.Skip(2).SkipLast(1))
        {
            var projected = baseline.Length + (perResource * listed.Sum(n => Math.Min(n, limits.ResourcesPerWave)));
            if (projected > 1.5 * MaxLength)
            {
                continue;
            }

            var candidate = Finish(RenderModel(PlanCommentBuilder.Build(plans, context, redactor, limits)), redactor);
            if (candidate.Length <= MaxLength)
            {
                return candidate;
            }
        }

        if (body.Length <= MaxLength)
        {
            return body;
        }

        // Only a work package with tens of thousands of waves gets here: cut at a line and say so.
        var notice = "\n\n_This note was cut to fit GitLab's 1,000,000-character limit; the full plans are in the plan jobs' artifacts._\n";
        var cut = body.LastIndexOf('\n', MaxLength - notice.Length - 1);
        return body[..Math.Max(0, cut)] + notice;
    }

    private static string Finish(string rendered, SecretRedactor redactor) =>
        MarkdownText.NeutraliseQuickActions(redactor.Redact(rendered)).TrimEnd('\n') + "\n";

    private string RenderModel(PlanCommentModel model) => _renderer.RenderModel(TemplateName, model);
}
