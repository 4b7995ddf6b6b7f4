using Microsoft.Extensions.Logging;
using Nautilus.Core.NetBox;
using Nautilus.Core.Planning;
using Nautilus.Core.Terraform;

namespace Nautilus.Core.Deploy;

/// <summary>Everything one deploy run needs, gathered by the command.</summary>
public sealed record DeployRequest
{
    public required WavePlan Plan { get; init; }

    public required Manifest Manifest { get; init; }

    /// <summary>The generated layout's root (docs/design.md §4): OUT/terraform/&lt;wp&gt;/&lt;wave&gt;/.</summary>
    public required string OutDirectory { get; init; }

    /// <summary>Planned objects left per work package this one depends on (null: the source holds no object of it at all).</summary>
    public required IReadOnlyDictionary<string, int?> Dependencies { get; init; }

    public bool IgnoreDependencies { get; init; }

    public bool DryRun { get; init; }

    /// <summary>Null in a dry run, which never touches the state.</summary>
    public StateBackend? Backend { get; init; }

    /// <summary>TF_VAR_* values (provider credentials): only ever in the child's environment.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    public string? JobUrl { get; init; }

    /// <summary>
    /// A plan file saved in each wave's directory by that pipeline's plan job (plan.cache): applied as is, so what was
    /// planned is what is applied, and a state that moved since makes the apply fail safely. Null: apply -auto-approve.
    /// </summary>
    public string? SavedPlan { get; init; }
}

public enum WaveOutcome
{
    Applied,
    Failed,
    NotRun,
    WouldApply,
}

public sealed record WaveResult(string Wave, string StateName, WaveOutcome Outcome, IReadOnlyList<SyncChange> Changes, string? Error);

/// <summary>
/// `iac deploy`: each wave in execution order, init and apply of its root module, then NetBox sync for that wave, so
/// that when a wave fails NetBox says exactly what was applied: earlier waves active, this one and later ones planned.
/// Without a <see cref="NetBoxSync"/> (no NetBox configured, export-file mode) it applies and leaves NetBox to the
/// webhook service's Pipeline Hook sync.
/// </summary>
public sealed class Deployer(TerraformProcess? terraform, NetBoxSync? sync, LogSections sections, TextWriter output, ILogger logger)
{
    public async Task<IReadOnlyList<WaveResult>> RunAsync(DeployRequest request, CancellationToken cancellationToken)
    {
        var plan = request.Plan;
        var waves = Validate(request);
        var results = new List<WaveResult>();
        if (plan.Waves.Count == 0)
        {
            await output.WriteLineAsync($"Nothing to deploy: work package {plan.WorkPackage} has no planned objects matching the filters ({plan.Selection}).")
                .ConfigureAwait(false);
            return results;
        }

        for (var index = 0; index < waves.Count; index++)
        {
            var (wave, generated, directory) = waves[index];
            var targets = generated.Objects.Select(o => new SyncTarget(KindOf(o.Type), o.Id, o.Name, null)).ToList();
            if (request.DryRun)
            {
                await DescribeAsync(request, wave, targets, directory).ConfigureAwait(false);
                results.Add(new WaveResult(wave.Name, wave.StateName, WaveOutcome.WouldApply, [], null));
                continue;
            }

            var result = await DeployWaveAsync(request, wave, targets, directory, cancellationToken).ConfigureAwait(false);
            if (result.Outcome == WaveOutcome.Failed)
            {
                await RecordFailureAsync(request, wave, targets, result.Error!, cancellationToken).ConfigureAwait(false);
            }

            results.Add(result);
            await output.WriteLineAsync(Summary(result)).ConfigureAwait(false);
            if (result.Outcome == WaveOutcome.Failed)
            {
                var rest = waves.Skip(index + 1).Select(w => w.Wave.Name).ToList();
                results.AddRange(waves.Skip(index + 1).Select(w => new WaveResult(w.Wave.Name, w.Wave.StateName, WaveOutcome.NotRun, [], null)));
                var applied = results.Where(r => r.Outcome == WaveOutcome.Applied).Select(r => r.Wave).ToList();
                throw new NautilusException(
                    ExitCode.DeployFailed,
                    $"Wave '{wave.Name}' of work package {plan.WorkPackage} failed: {result.Error}. "
                    + $"Applied and synced to NetBox: {(applied.Count == 0 ? "none" : string.Join(", ", applied))}. "
                    + $"Not run: {(rest.Count == 0 ? "none" : string.Join(", ", rest))}. "
                    + $"The objects of '{wave.Name}' and later waves keep their NetBox status. Fix the error in the log above and run the deploy again: " +
                        $"Terraform changes nothing in waves whose state already matches the code.");
            }
        }

        return results;
    }

    /// <summary>Every problem found before anything runs, reported together.</summary>
    private static List<(Wave Wave, ManifestWave Generated, string Directory)> Validate(DeployRequest request)
    {
        var plan = request.Plan;
        var problems = new List<string>();
        var usage = new List<string>();
        if (request.Manifest.WorkPackage != plan.WorkPackage)
        {
            usage.Add($"The manifest in {request.OutDirectory} is for work package '{request.Manifest.WorkPackage}', not '{plan.WorkPackage}'. Run 'nautilus " +
                $"iac generate --wp {plan.WorkPackage}' first.");
        }

        var waves = new List<(Wave, ManifestWave, string)>();
        foreach (var wave in plan.Waves)
        {
            var generated = request.Manifest.Waves.FirstOrDefault(w => w.Name == wave.Name);
            var directory = Path.Combine(request.OutDirectory, "terraform", plan.WorkPackage, generated?.Key ?? wave.Key);
            if (generated is null)
            {
                usage.Add($"Wave '{wave.Name}' is not in the manifest in {request.OutDirectory}. Run 'nautilus iac generate' again with the same filters.");
                continue;
            }

            if (!Directory.Exists(directory) || !Directory.EnumerateFiles(directory, "*.tf").Any())
            {
                usage.Add($"Wave '{wave.Name}' has no Terraform files in {directory}. Run 'nautilus iac generate --out {request.OutDirectory}' first.");
                continue;
            }

            if (request.SavedPlan is { } saved && !request.DryRun && !File.Exists(Path.Combine(directory, saved)))
            {
                usage.Add($"Wave '{wave.Name}' has no saved plan {Path.Combine(directory, saved)}: the apply job needs the artifacts of its plan job (or run " +
                    $"without --saved-plan to plan and apply in one step).");
                continue;
            }

            waves.Add((wave, generated, directory));
        }

        foreach (var (other, remaining) in request.Dependencies.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            if (remaining == 0)
            {
                continue;
            }

            var gated = plan.Waves.Where(w => w.DependsOnWorkPackages.Contains(other)).Select(w => w.Name).ToList();
            var why = remaining is null
                ? $"the source holds no object of work package '{other}' at all, so it has not been deployed (a mistyped tag?)"
                : $"work package '{other}' still has {remaining} planned object(s)";
            if (request.IgnoreDependencies)
            {
                continue;
            }

            problems.Add($"Wave(s) {string.Join(", ", gated)} depend on work package '{other}' (tag depends-on:wp:{other}), and {why}. Deploy '{other}' " +
                $"first, or pass --ignore-dependencies to deploy anyway.");
        }

        if (usage.Count > 0)
        {
            throw NautilusException.Usage(string.Join(Environment.NewLine, usage));
        }

        if (problems.Count > 0)
        {
            throw NautilusException.InvalidData(string.Join(Environment.NewLine, problems), problems);
        }

        return waves;
    }

    private async Task<WaveResult> DeployWaveAsync(DeployRequest request, Wave wave, List<SyncTarget> targets, string directory,
        CancellationToken cancellationToken)
    {
        var tf = terraform ?? throw new InvalidOperationException("a deploy that is not a dry run needs Terraform");
        var environment = new Dictionary<string, string>(request.Backend!.EnvironmentFor(wave.StateName), StringComparer.Ordinal);
        foreach (var (name, value) in request.Variables)
        {
            environment[name] = value;
        }

        using (sections.Open($"deploy_{wave.Key}",
            $"Wave {wave.Name} (level {wave.Level}): terraform init and apply, state {wave.StateName}, {targets.Count} object(s)"))
        {
            string[] apply = request.SavedPlan is { } saved ? ["apply", "-input=false", saved] : ["apply", "-input=false", "-auto-approve"];
            foreach (var (step, arguments) in new[] { ("init", new[] { "init", "-input=false" }), ("apply", apply) })
            {
                var run = await tf.RunAsync(arguments, directory, environment, captureStdout: false, cancellationToken).ConfigureAwait(false);
                if (run.ExitCode != 0)
                {
                    return new WaveResult(wave.Name, wave.StateName, WaveOutcome.Failed, [],
                        $"'{Path.GetFileName(tf.Binary)} {step}' exited with {run.ExitCode} in {directory} (state {wave.StateName})");
                }
            }

            var outputs = await tf.RunAsync(["output", "-json"], directory, environment, captureStdout: true, cancellationToken).ConfigureAwait(false);
            IReadOnlyDictionary<(ObjectKind, int), ObjectOutput> values = new Dictionary<(ObjectKind, int), ObjectOutput>();
            if (outputs.ExitCode == 0)
            {
                values = TerraformOutputs.Parse(outputs.Stdout, $"wave '{wave.Name}' ({directory})");
            }
            else
            {
                logger.LogWarning("'{Binary} output -json' exited with {Code} for wave {Wave}; NetBox gets statuses but no primary IPs", tf.Binary,
                    outputs.ExitCode, wave.Name);
            }

            targets = targets.Select(t => values.TryGetValue((t.Kind, t.Id), out var v) ? t with { Ipv4 = v.Ipv4 } : t).ToList();
        }

        if (sync is null)
        {
            logger.LogWarning("Wave {Wave} applied; no NetBox configured, so its objects are not synced here: the webhook service's Pipeline Hook sync sets " +
                "them active", wave.Name);
            return new WaveResult(wave.Name, wave.StateName, WaveOutcome.Applied, [], null);
        }

        using (sections.Open($"sync_{wave.Key}", $"Wave {wave.Name}: NetBox sync", collapsed: true))
        {
            var synced = await sync.SyncAsync(new SyncRequest(request.Plan.WorkPackage, wave.Name, wave.StateName, targets, request.JobUrl), cancellationToken)
                .ConfigureAwait(false);
            foreach (var change in synced.Changes)
            {
                logger.LogInformation("{Change}", change.ToString());
            }

            foreach (var warning in synced.Warnings)
            {
                logger.LogWarning("{Warning}", warning);
            }

            return new WaveResult(wave.Name, wave.StateName, WaveOutcome.Applied, synced.Changes, null);
        }
    }

    /// <summary>
    /// A danger journal entry on each object of the failed wave. NetBox being unreachable now must not hide the
    /// apply's own failure (exit 6), so a failure here is logged, not thrown.
    /// </summary>
    private async Task RecordFailureAsync(DeployRequest request, Wave wave, List<SyncTarget> targets, string error, CancellationToken cancellationToken)
    {
        if (sync is null)
        {
            return;
        }

        try
        {
            await sync.RecordFailedApplyAsync(new SyncRequest(request.Plan.WorkPackage, wave.Name, wave.StateName, targets, request.JobUrl), error,
                cancellationToken).ConfigureAwait(false);
        }
        catch (NautilusException ex)
        {
            logger.LogWarning("Could not record the failed apply of wave {Wave} in NetBox's journal: {Reason}", wave.Name, ex.Message);
        }
    }

    private async Task DescribeAsync(DeployRequest request, Wave wave, List<SyncTarget> targets, string directory)
    {
        var binary = terraform is null ? "terraform" : Path.GetFileName(terraform.Binary);
        var address = request.Backend?.AddressOf(wave.StateName) ?? $"<GitLab state {wave.StateName}>";
        var statuses = wave.Objects.ToDictionary(o => (o.Kind, o.Id), o => o.Status);
        await output.WriteLineAsync($"would deploy wave {wave.Name} (level {wave.Level}) from {directory}").ConfigureAwait(false);
        await output.WriteLineAsync($"  would run: {binary} init -input=false      (state {address})").ConfigureAwait(false);
        await output.WriteLineAsync($"  would run: {binary} apply -input=false {request.SavedPlan ?? "-auto-approve"}").ConfigureAwait(false);
        await output.WriteLineAsync($"  would run: {binary} output -json").ConfigureAwait(false);
        foreach (var target in targets)
        {
            var status = statuses.TryGetValue((target.Kind, target.Id), out var s) ? s : "not selected";
            var flip = status == "active" ? "status stays active" : $"status {status} → active";
            await output.WriteLineAsync($"  would update {target.Kind.Noun()} '{target.Name}' (id {target.Id}): {flip}, primary_ip4 from the wave's outputs, " +
                $"a journal entry").ConfigureAwait(false);
        }
    }

    private static string Summary(WaveResult result) => result.Outcome switch
    {
        WaveOutcome.Applied =>
            $"wave {result.Wave}: applied; NetBox: {result.Changes.Count(c => c.ToStatus is not null)} status change(s), " +
                $"{result.Changes.Count(c => c.ToIp is not null)} primary IP(s), {result.Changes.Count} journal " +
                $"entr{(result.Changes.Count == 1 ? "y" : "ies")}",
        WaveOutcome.Failed => $"wave {result.Wave}: FAILED ({result.Error}); NetBox statuses left unchanged for this wave, a danger journal entry on each of " +
            $"its objects",
        _ => $"wave {result.Wave}: {result.Outcome}",
    };

    private static ObjectKind KindOf(string type) => type == "dcim.device" ? ObjectKind.Device : ObjectKind.VirtualMachine;
}
