namespace Nautilus.Core.Pipelines;

/// <summary>How `nautilus pipeline generate` shapes the child pipeline (docs/design.md §5).</summary>
public sealed record ChildPipelineOptions
{
    /// <summary>GitLab's default `ci_max_needs` (docs.gitlab.com/ci/yaml/#needs); self-managed admins can change it.</summary>
    public const int GitLabMaxNeeds = 50;

    /// <summary>GitLab's default `max_yaml_size_bytes` since 17.3 (2 MB; 1 MB before).</summary>
    public const long GitLabMaxYamlBytes = 2 * 1024 * 1024;

    /// <summary>The variable the trigger job sets to its own pipeline id, so child jobs can fetch the parent job's artifacts.</summary>
    public const string ParentPipelineVariable = "PARENT_PIPELINE_ID";

    /// <summary>The parent job that generated the code; child jobs download its artifacts. Null: the code is in the checkout.</summary>
    public string? ParentJob { get; init; }

    /// <summary>Applies wait for a person to press play.</summary>
    public bool ManualApply { get; init; }

    /// <summary>terraform or tofu (NAUTILUS_TF_BIN in every job; a project variable can still override it).</summary>
    public string TerraformBinary { get; init; } = "terraform";

    /// <summary>Image of every job (`default: image:`); null leaves it to the runner.</summary>
    public string? Image { get; init; }

    /// <summary>Image of plan and apply jobs, when Terraform lives in another image than the CLI.</summary>
    public string? TerraformImage { get; init; }

    /// <summary>Image of configure jobs (ansible-playbook).</summary>
    public string? AnsibleImage { get; init; }

    /// <summary>The export file the plan came from, relative to the project directory; gate jobs read it. Null: live NetBox.</summary>
    public string? SourceFile { get; init; }

    /// <summary>
    /// The NetBox URL given on the command line (--netbox-url, e.g. the component's netbox_url input), passed on to
    /// gate jobs; null: they read NAUTILUS_NETBOX_URL like any job. The token is never passed this way.
    /// </summary>
    public string? NetBoxUrl { get; init; }

    public int MaxNeeds { get; init; } = GitLabMaxNeeds;

    public long MaxBytes { get; init; } = GitLabMaxYamlBytes;
}
