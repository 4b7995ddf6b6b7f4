using System.Text;
using Nautilus.Core.Planning;

namespace Nautilus.Core.Pipelines;

/// <summary>
/// Builds the child pipeline of a work package from its wave plan (docs/design.md §5): per wave plan, apply and
/// configure jobs, a gate per cross-package dependency and the MR comment job, within GitLab's limits.
/// </summary>
public static class ChildPipelineBuilder
{
    public const string CommentJob = "nautilus:comment";
    public const string CodeJob = "nautilus:code";
    public const string IdleJob = "nautilus:idle";

    public const string GateStage = "gate";
    public const string PlanStage = "plan";
    public const string ReportStage = "report";

    /// <summary>Branch pipelines of the default branch only: child pipelines see the parent's ref
    /// (docs.gitlab.com/ci/pipelines/downstream_pipelines/).</summary>
    public const string DefaultBranchRule = "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH";

    /// <summary>
    /// Child pipelines run with CI_PIPELINE_SOURCE=parent_pipeline, so "is this an MR pipeline" is the presence of
    /// CI_MERGE_REQUEST_IID (gitlab-org/gitlab#386787); the component's trigger job forwards it explicitly.
    /// </summary>
    public const string MergeRequestRule = "$CI_MERGE_REQUEST_IID";

    // Job names GitLab reserves for global keywords (docs.gitlab.com/ci/jobs/#job-name-limitations).
    private static readonly HashSet<string> ReservedNames = new(StringComparer.Ordinal)
    {
        "image", "services", "stages", "types", "before_script", "after_script", "variables", "cache", "include",
        "true", "false", "nil", "default", "workflow", "spec", "pages",
    };

    public static string PlanJob(Wave wave) => "plan:" + wave.Key;

    public static string ApplyJob(Wave wave) => "apply:" + wave.Key;

    public static string ConfigureJob(Wave wave) => "configure:" + wave.Key;

    public static string GateJob(string workPackage) => "gate:" + workPackage;

    public static string ApplyStage(int level) => $"apply-{level}";

    public static string ConfigureStage(int level) => $"configure-{level}";

    public static string TerraformRoot(string workPackage, Wave wave) => $"terraform/{workPackage}/{wave.Key}";

    public static string PlanDirectory(Wave wave) => $"plans/{wave.Key}";

    public static ChildPipeline Build(WavePlan plan, ChildPipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        if (plan.Waves.Count == 0)
        {
            return Idle(
                $"Work package '{plan.WorkPackage}' has no planned objects{(plan.Selection.IsEmpty ? "" : " matching " + plan.Selection)} in {plan.Source}: " +
                    $"nothing to plan or apply.",
                options);
        }

        var wp = plan.WorkPackage;
        CiNeed? parent = options.ParentJob is null
            ? null
            : new CiNeed { Pipeline = "$" + ChildPipelineOptions.ParentPipelineVariable, Job = options.ParentJob };
        var byName = plan.Waves.ToDictionary(w => w.Name, StringComparer.Ordinal);
        var jobs = new List<KeyValuePair<string, CiJob>>();

        foreach (var other in plan.WorkPackageDependencies)
        {
            var script = new StringBuilder("nautilus pipeline gate ").Append(other).Append(" --for ").Append(wp).Append(SourceArguments(options));

            jobs.Add(new(GateJob(other), new CiJob
            {
                Stage = GateStage,
                Needs = options.SourceFile is not null && parent is not null ? [parent] : [],
                Rules = [new CiRule { If = DefaultBranchRule }],
                Interruptible = true,
                Script = [script.ToString()],
            }));
        }

        foreach (var wave in plan.Waves)
        {
            var root = TerraformRoot(wp, wave);
            var plans = PlanDirectory(wave);
            jobs.Add(new(PlanJob(wave), new CiJob
            {
                Stage = PlanStage,
                Image = options.TerraformImage,
                Needs = With(parent),
                Environment = new CiEnvironmentRef { Name = EnvironmentName(wp, wave), Action = "prepare" },
                Interruptible = true,
                Variables = TerraformVariables(wave, root),
                Script =
                [
                    // -chdir keeps every other path relative to the project directory, where GitLab starts the script.
                    $"mkdir -p {plans}",

                    // What the MR note shows of a failed wave (docs/design.md §6): the job's URL, and the output of the
                    // Terraform step that failed (streamed to the log as usual, kept as error.txt). POSIX sh, no pipefail:
                    // the step's exit status travels through a file. Artifacts are kept even when the job fails. The file names are
                    // the ones WavePlanFile reads.
                    $"printf '%s\\n' \"${{CI_JOB_URL:-}}\" > {plans}/job-url.txt",
                    // Its own temporary directory: a shell executor runs several jobs on one host at once.
                    "NAUTILUS_TF_TMP=\"$(mktemp -d)\"",
                    "nautilus_tf() { { \"$NAUTILUS_TF_BIN\" -chdir=\"$TF_ROOT\" \"$@\" 2>&1 && echo 0 > \"$NAUTILUS_TF_TMP/rc\" || echo $? > " +
                        "\"$NAUTILUS_TF_TMP/rc\"; } | tee \"$NAUTILUS_TF_TMP/out\"; "
                        + $"rc=$(cat \"$NAUTILUS_TF_TMP/rc\"); [ \"$rc\" = 0 ] || cp \"$NAUTILUS_TF_TMP/out\" {plans}/error.txt; return \"$rc\"; }}",

                    // As GitLab's OpenTofu component does: canonical layout (a hand-edited or template-overridden file
                    // shows its diff) and a configuration that validates, before any plan.
                    "nautilus_tf fmt -check -diff",
                    "nautilus_tf init -input=false",
                    "nautilus_tf validate -no-color",

                    // Developers cannot take the state lock (Maintainer only): MR plans read without it (docs/design.md §13).
                    "if [ -n \"${CI_MERGE_REQUEST_IID:-}\" ]; then NAUTILUS_TF_LOCK=-lock=false; else NAUTILUS_TF_LOCK=-lock=true; fi",
                    "nautilus_tf plan -input=false \"$NAUTILUS_TF_LOCK\" -out=plan.cache",
                    $"\"$NAUTILUS_TF_BIN\" -chdir=\"$TF_ROOT\" show -json plan.cache > {plans}/plan.json",

                    // The plan as Terraform prints it, for the note's collapsible "terraform show" block.
                    $"\"$NAUTILUS_TF_BIN\" -chdir=\"$TF_ROOT\" show -no-color plan.cache > {plans}/plan.txt",
                    $"nautilus plan report --plan {plans}/plan.json --out {plans}/report.json",
                ],
                Artifacts = new CiArtifacts
                {
                    Name = wave.StateName,
                    Access = "developer",
                    When = "always",
                    ExpireIn = "30 days",
                    Paths = [plans + "/", root + "/plan.cache", root + "/.terraform.lock.hcl"],
                    Reports = new CiReports { Terraform = plans + "/report.json" },
                },
            }));
        }

        // The note links NetBox objects and, with netbox-branching, lists what the work package's NetBox branch changes.
        var comment = "nautilus plan comment --plans-dir plans --wp " + wp
            + (options.SourceFile is null && options.NetBoxUrl is not null ? " --netbox-url " + Shell.Quote(options.NetBoxUrl) : "");
        jobs.Add(new(CommentJob, new CiJob
        {
            Stage = ReportStage,
            Needs = plan.Waves.Select(w => new CiNeed { Job = PlanJob(w) }).Concat(With(parent)).ToList(),

            // Errored plans are reported too: the comment shows them as failed waves.
            Rules = [new CiRule { If = MergeRequestRule, When = "always" }],
            Interruptible = true,
            Script = [comment],
        }));

        foreach (var wave in plan.Waves)
        {
            var needs = new List<CiNeed> { new() { Job = PlanJob(wave) } };
            needs.AddRange(wave.DependsOn.Select(d => new CiNeed { Job = ApplyJob(byName[d]), Artifacts = false }));
            needs.AddRange(wave.DependsOnWorkPackages.Select(other => new CiNeed { Job = GateJob(other), Artifacts = false }));
            needs.AddRange(With(parent));
            jobs.Add(new(ApplyJob(wave), new CiJob
            {
                Stage = ApplyStage(wave.Level),
                Image = options.TerraformImage,
                Needs = needs,
                Rules = [new CiRule { If = DefaultBranchRule, When = options.ManualApply ? "manual" : null }],
                ResourceGroup = wave.StateName,
                Environment = new CiEnvironmentRef { Name = EnvironmentName(wp, wave), Action = "start" },
                Interruptible = false,
                Variables = TerraformVariables(wave, root: TerraformRoot(wp, wave)),
                Script =
                [
                    // init, apply of the saved plan of this pipeline (what was planned is what is applied; a state that
                    // moved since fails safely), then the wave's NetBox sync: active, primary_ip4, a journal entry linking
                    // the job. The objects come from the committed manifest; a failed apply leaves a danger entry on each.
                    $"nautilus iac deploy --wp {wp} --wave {Shell.Quote(wave.Key)} --dir . --saved-plan plan.cache{SourceArguments(options)}",
                ],
            }));
        }

        foreach (var wave in plan.Waves)
        {
            jobs.Add(new(ConfigureJob(wave), new CiJob
            {
                Stage = ConfigureStage(wave.Level),
                Image = options.AnsibleImage,
                Needs = new[] { new CiNeed { Job = ApplyJob(wave), Artifacts = false } }.Concat(With(parent)).ToList(),
                Rules = [new CiRule { If = DefaultBranchRule }],
                Interruptible = false,
                Variables = new OrderedDictionary<string, string>(StringComparer.Ordinal)
                {
                    ["NAUTILUS_WAVE"] = wave.Key,

                    // ansible-inventory and ansible-playbook only warn on an unparsable inventory and go on with none.
                    ["ANSIBLE_INVENTORY_UNPARSED_FAILED"] = "true",

                    // Roles named after NetBox role slugs live outside the generated ansible/<wp>/ (regeneration replaces it).
                    ["ANSIBLE_ROLES_PATH"] = "${CI_PROJECT_DIR}/roles:${CI_PROJECT_DIR}/ansible/roles",
                    ["ANSIBLE_FORCE_COLOR"] = "true",
                },
                Script = [$"ansible-playbook -i ansible/{wp}/inventory.yml ansible/{wp}/waves/{wave.Key}.yml"],
            }));
        }

        var warnings = new List<string>();
        jobs = FallBackToStageOrder(jobs, parent, options, warnings);

        var stages = new List<string>();
        if (plan.WorkPackageDependencies.Count > 0)
        {
            stages.Add(GateStage);
        }

        stages.Add(PlanStage);
        stages.Add(ReportStage);
        for (var level = 0; level < plan.LevelCount; level++)
        {
            stages.Add(ApplyStage(level));
            stages.Add(ConfigureStage(level));
        }

        var pipeline = new ChildPipeline
        {
            Header = HeaderFor(plan),
            Variables = GlobalVariables(wp, options),
            Default = options.Image is null ? null : new CiDefault { Image = options.Image },
            Stages = stages,
            Jobs = jobs,
            Warnings = warnings,
        };
        Check(pipeline, options);
        return pipeline;
    }

    /// <summary>
    /// A child pipeline that only says why there is nothing to do: GitLab refuses to create a child pipeline
    /// without jobs, which would fail the trigger job.
    /// </summary>
    public static ChildPipeline Idle(string reason, ChildPipelineOptions options) => new()
    {
        Header = "Generated by nautilus pipeline generate. Do not edit: regenerate.\n" + OneLine(reason),
        Variables = [],
        Default = options.Image is null ? null : new CiDefault { Image = options.Image },
        Stages = [PlanStage],
        Jobs = [new(IdleJob, new CiJob { Stage = PlanStage, Needs = [], Script = ["echo " + Shell.Quote(reason)] })],
    };

    /// <summary>
    /// A job may need at most MaxNeeds jobs (GitLab's ci_max_needs, 50 by default). Beyond that the job drops
    /// `needs` and waits for every earlier stage instead, which orders it the same way, only less eagerly. Jobs
    /// without `needs` cannot download the parent job's artifacts, so a code job re-publishes them first.
    /// </summary>
    private static List<KeyValuePair<string, CiJob>> FallBackToStageOrder(
        List<KeyValuePair<string, CiJob>> jobs, CiNeed? parent, ChildPipelineOptions options, List<string> warnings)
    {
        var result = new List<KeyValuePair<string, CiJob>>(jobs.Count + 1);
        var fellBack = false;
        foreach (var (name, job) in jobs)
        {
            if (job.Needs is { } needs && needs.Count > options.MaxNeeds)
            {
                fellBack = true;
                warnings.Add($"Job '{name}' would need {needs.Count} jobs, over GitLab's limit of {options.MaxNeeds}: it runs in stage order (after every " +
                    $"job of the earlier stages) instead.");
                result.Add(new(name, job with { Needs = null }));
            }
            else
            {
                result.Add(new(name, job));
            }
        }

        if (fellBack && parent is not null)
        {
            result.Insert(0, new(CodeJob, new CiJob
            {
                Stage = ".pre",
                Needs = [parent],
                Interruptible = true,
                Script = ["echo 'Generated code of the parent pipeline, published for the jobs that run in stage order.'"],
                Artifacts = new CiArtifacts
                {
                    Access = "developer",
                    ExpireIn = "30 days",
                    Paths = ["terraform/", "ansible/", ".nautilus/"],
                },
            }));
        }

        return result;
    }

    private static void Check(ChildPipeline pipeline, ChildPipelineOptions options)
    {
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in pipeline.Jobs)
        {
            if (!seen.Add(name))
            {
                problems.Add($"job name '{name}' appears twice");
            }

            if (name.Length > 255)
            {
                problems.Add($"job name '{name[..40]}…' is {name.Length} characters, over GitLab's 255");
            }

            if (ReservedNames.Contains(name))
            {
                problems.Add($"job name '{name}' is a reserved GitLab keyword");
            }
        }

        if (problems.Count > 0)
        {
            throw NautilusException.InvalidData("The child pipeline cannot be created: " + string.Join("; ", problems) + ". Rename the waves involved.",
                problems);
        }
    }

    /// <summary>Renders the YAML and enforces GitLab's size limit for a configuration file.</summary>
    public static string Render(ChildPipeline pipeline, string workPackage, ChildPipelineOptions options)
    {
        var yaml = pipeline.ToYaml();
        var bytes = Encoding.UTF8.GetByteCount(yaml);
        if (bytes > options.MaxBytes)
        {
            throw NautilusException.InvalidData(
                $"The child pipeline of work package '{workPackage}' is {bytes:N0} bytes, over GitLab's limit of {options.MaxBytes:N0} bytes for a CI " +
                    $"configuration file (max_yaml_size_bytes). " +
                "Split the work package, or generate part of it with --wave/--priority/--sprint/--sequence; if your instance's admin raised the limit, pass " +
                    "--max-bytes.");
        }

        return yaml;
    }

    /// <summary>Where nautilus jobs read NetBox: the export file, else the URL given on the command line, else NAUTILUS_NETBOX_URL.</summary>
    private static string SourceArguments(ChildPipelineOptions options) =>
        options.SourceFile is not null ? " --source " + Shell.Quote(options.SourceFile)
        : options.NetBoxUrl is not null ? " --netbox-url " + Shell.Quote(options.NetBoxUrl)
        : "";

    private static List<CiNeed> With(CiNeed? parent) => parent is null ? [] : [parent];

    private static string EnvironmentName(string workPackage, Wave wave) => $"{workPackage}/{wave.Key}";

    private static OrderedDictionary<string, string> TerraformVariables(Wave wave, string root)
    {
        // GitLab-managed state through the http backend's TF_HTTP_* variables, never -backend-config (which a saved
        // plan would carry): docs.gitlab.com/user/infrastructure/iac/terraform_state/. State names are [a-z0-9_-].
        var address = "${CI_API_V4_URL}/projects/${CI_PROJECT_ID}/terraform/state/" + wave.StateName;
        return new(StringComparer.Ordinal)
        {
            ["NAUTILUS_WAVE"] = wave.Key,
            ["TF_ROOT"] = root,
            ["TF_STATE_NAME"] = wave.StateName,
            ["TF_HTTP_ADDRESS"] = address,
            ["TF_HTTP_LOCK_ADDRESS"] = address + "/lock",
            ["TF_HTTP_UNLOCK_ADDRESS"] = address + "/lock",
        };
    }

    private static List<KeyValuePair<string, string>> GlobalVariables(string workPackage, ChildPipelineOptions options) =>
    [
        new("NAUTILUS_WP", workPackage),
        new("NAUTILUS_TF_BIN", options.TerraformBinary),
        new("TF_IN_AUTOMATION", "true"),
        new("TF_INPUT", "false"),
        new("TF_HTTP_USERNAME", "gitlab-ci-token"),
        new("TF_HTTP_PASSWORD", "${CI_JOB_TOKEN}"),
        new("TF_HTTP_LOCK_METHOD", "POST"),
        new("TF_HTTP_UNLOCK_METHOD", "DELETE"),
        new("TF_HTTP_RETRY_WAIT_MIN", "5"),
    ];

    private static string HeaderFor(WavePlan plan) =>
        "Generated by nautilus pipeline generate. Do not edit: regenerate.\n" +
        OneLine($"Work package {plan.WorkPackage} from {plan.Source}: {plan.Waves.Count} wave(s) in {plan.LevelCount} level(s); filters {plan.Selection}.");

    private static string OneLine(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(char.IsControl(c) ? ' ' : c);
        }

        return sb.ToString();
    }
}
