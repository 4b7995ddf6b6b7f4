namespace Nautilus.Core.NetBox;

/// <summary>
/// Creates the custom fields and tags of docs/design.md §2, idempotently: whatever exists (by name) is left
/// as it is, so running it twice changes nothing.
/// </summary>
public sealed class NetBoxBootstrap(NetBoxClient client, bool dryRun)
{
    private static readonly string[] ObjectTypes = ["virtualization.virtualmachine", "dcim.device"];
    private const string RollbackChoiceSet = "nautilus-rollback-complexity";
    private const string Description = "Created by nautilus netbox bootstrap";

    public async Task<List<string>> RunAsync(IReadOnlyList<string> workPackages, IReadOnlyList<string> waves, CancellationToken cancellationToken)
    {
        var actions = new List<string>();
        await EnsureFieldAsync(actions, NetBoxConventions.SequenceField,
            new() { ["type"] = "integer", ["label"] = "Deployment sequence",
            ["description"] = "Order of deployment inside the work package: lower first; waves of equal lowest sequence run in parallel.",
            ["validation_minimum"] = 0 }, cancellationToken).ConfigureAwait(false);

        // filter_logic exact: text fields default to "loose" (icontains), so cf_deployment_wave=network would match "network-foundation".
        await EnsureFieldAsync(actions, NetBoxConventions.WaveField,
            new() { ["type"] = "text", ["label"] = "Deployment wave", ["description"] = "Wave this object deploys in (wins over a wave: tag).",
            ["filter_logic"] = "exact" }, cancellationToken).ConfigureAwait(false);
        await EnsureFieldAsync(actions, NetBoxConventions.DurationField,
            new() { ["type"] = "integer", ["label"] = "Estimated duration (minutes)", ["validation_minimum"] = 0 }, cancellationToken).ConfigureAwait(false);

        var choiceSetId = await EnsureChoiceSetAsync(actions, cancellationToken).ConfigureAwait(false);
        await EnsureFieldAsync(actions, NetBoxConventions.RollbackField,
            new() { ["type"] = "select", ["label"] = "Rollback complexity", ["choice_set"] = choiceSetId }, cancellationToken).ConfigureAwait(false);

        foreach (var priority in new[] { "high", "medium", "low" })
        {
            actions.Add((await client.EnsureTagAsync(Tags.PriorityPrefix + priority, Description, dryRun, cancellationToken).ConfigureAwait(false)).ToString());
        }

        foreach (var wp in workPackages.Distinct(StringComparer.Ordinal))
        {
            actions.Add((await client.EnsureWorkPackageTagAsync(wp, Description, dryRun, cancellationToken).ConfigureAwait(false)).ToString());
        }

        foreach (var wave in waves.Distinct(StringComparer.Ordinal))
        {
            actions.Add((await client.EnsureTagAsync(Tags.WavePrefix + wave, Description, dryRun, cancellationToken).ConfigureAwait(false)).ToString());
        }

        return actions;
    }

    private async Task EnsureFieldAsync(List<string> actions, string name, Dictionary<string, object?> definition, CancellationToken cancellationToken)
    {
        var existing = await client.Api.ListCustomFieldsAsync(new Dictionary<string, object> { ["name"] = name }, cancellationToken).ConfigureAwait(false);
        if (existing.Results.Count > 0)
        {
            actions.Add($"exists   custom field {name}");
            return;
        }

        if (dryRun)
        {
            actions.Add($"would create custom field {name} ({definition["type"]})");
            return;
        }

        definition["name"] = name;
        definition["object_types"] = ObjectTypes;
        await client.Api.CreateCustomFieldAsync(definition, cancellationToken).ConfigureAwait(false);
        actions.Add($"created  custom field {name} ({definition["type"]})");
    }

    private async Task<int?> EnsureChoiceSetAsync(List<string> actions, CancellationToken cancellationToken)
    {
        var existing = await client.Api.ListChoiceSetsAsync(new Dictionary<string, object> { ["name"] = RollbackChoiceSet }, cancellationToken)
            .ConfigureAwait(false);
        if (existing.Results.Count > 0)
        {
            actions.Add($"exists   choice set {RollbackChoiceSet}");
            return existing.Results[0].Id;
        }

        if (dryRun)
        {
            actions.Add($"would create choice set {RollbackChoiceSet} (low, medium, high)");
            return null;
        }

        var created = await client.Api.CreateChoiceSetAsync(
            new Dictionary<string, object?>
            {
                ["name"] = RollbackChoiceSet,
                ["extra_choices"] = new[] { new[] { "low", "Low" }, new[] { "medium", "Medium" }, new[] { "high", "High" } },
            },
            cancellationToken).ConfigureAwait(false);
        actions.Add($"created  choice set {RollbackChoiceSet} (low, medium, high)");
        return created.Id;
    }
}
