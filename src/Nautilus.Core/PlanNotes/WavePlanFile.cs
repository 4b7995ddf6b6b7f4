using Nautilus.Core.Terraform;

namespace Nautilus.Core.PlanNotes;

/// <summary>
/// One wave's plan as found on disk (null when its plan job left none, or when the file is there but unreadable:
/// then <see cref="Problem"/> says why), with what its plan job saved beside it even when it failed (docs/design.md §6).
/// </summary>
public sealed record WavePlanFile(string Name, int? Level, string? Path, TerraformPlan? Plan, IReadOnlyDictionary<string, NetBoxIdentity> Identities)
{
    /// <summary>&lt;wave&gt;/error.txt: the output of the plan job's Terraform step that failed.</summary>
    public const string ErrorFile = "error.txt";

    /// <summary>&lt;wave&gt;/job-url.txt: the plan job's CI_JOB_URL.</summary>
    public const string JobUrlFile = "job-url.txt";

    /// <summary>&lt;wave&gt;/plan.txt: `terraform show -no-color` of the saved plan.</summary>
    public const string ShowFile = "plan.txt";

    /// <summary>Why the wave's plan.json could not be read (not JSON, not a plan, a format Nautilus does not read).</summary>
    public string? Problem { get; init; }

    /// <summary>The end of the failed Terraform step's output (at most <see cref="PlanSet.ErrorBytes"/>), when the plan job failed.</summary>
    public string? ErrorText { get; init; }

    /// <summary>The plan job's page, when it saved one.</summary>
    public string? JobUrl { get; init; }

    /// <summary>The start of `terraform show` of the plan (at most <see cref="PlanSet.ShowChars"/>), when the job saved it.</summary>
    public string? ShowText { get; init; }

    /// <summary>True when <see cref="ShowText"/> is only the start of plan.txt.</summary>
    public bool ShowTextCut { get; init; }

    /// <summary>Failed: its plan.json is unreadable or errored, or there is none and the job saved its error.</summary>
    public bool Failed => Problem is not null || Plan?.Errored == true || (Plan is null && !string.IsNullOrWhiteSpace(ErrorText));
}
