namespace Nautilus.Core.NetBox;

/// <summary>
/// Creates the custom fields and tags of DESIGN section 2, idempotently: whatever exists (by name) is left
/// as it is, so running it twice changes nothing.
/// </summary>
public sealed class NetBoxBootstrap(NetBoxClient client, bool dryRun)
{
    private static readonly string[] ObjectTypes = ["virtualization.virtualmachine", "dcim.device"];
    private const string RollbackChoiceSet = "nautilus-rollback-complexity";

    public async Task<List<string>> RunAsync(IReadOnlyList<string> workPackages, IReadOnlyList<string> waves, CancellationToken cancellationToken)
    {
        var actions = new List<string>();
        await EnsureFieldAsync(actions, "deployment_sequence", new() { ["type"] = "integer", ["label"] = "Deployment sequence", ["description"] = "Order of deployment inside the work package: lower first; waves of equal lowest sequence run in parallel.", ["validation_minimum"] = 0 }, cancellationToken).ConfigureAwait(false);

        // filter_logic exact: text fields default to "loose" (icontains), so cf_deployment_wave=network would match "network-foundation".
        await EnsureFieldAsync(actions, "deployment_wave", new() { ["type"] = "text", ["label"] = "Deployment wave", ["description"] = "Wave this object deploys in (wins over a wave: tag).", ["filter_logic"] = "exact" }, cancellationToken).ConfigureAwait(false);
        await EnsureFieldAsync(actions, "estimated_duration", new() { ["type"] = "integer", ["label"] = "Estimated duration (minutes)", ["validation_minimum"] = 0 }, cancellationToken).ConfigureAwait(false);

        var choiceSetId = await EnsureChoiceSetAsync(actions, cancellationToken).ConfigureAwait(false);
        await EnsureFieldAsync(actions, "rollback_complexity", new() { ["type"] = "select", ["label"] = "Rollback complexity", ["choice_set"] = choiceSetId }, cancellationToken).ConfigureAwait(false);

        foreach (var priority in new[] { "high", "medium", "low" })
        {
            await EnsureTagAsync(actions, Tags.PriorityPrefix + priority, priority switch { "high" => "f44336", "medium" => "ff9800", _ => "9e9e9e" }, cancellationToken).ConfigureAwait(false);
        }

        foreach (var wp in workPackages.Distinct(StringComparer.Ordinal))
        {
            await EnsureTagAsync(actions, WorkPackage.TagName(wp), "2196f3", cancellationToken).ConfigureAwait(false);
        }

        foreach (var wave in waves.Distinct(StringComparer.Ordinal))
        {
            await EnsureTagAsync(actions, Tags.WavePrefix + wave, "4caf50", cancellationToken).ConfigureAwait(false);
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
        var existing = await client.Api.ListChoiceSetsAsync(new Dictionary<string, object> { ["name"] = RollbackChoiceSet }, cancellationToken).ConfigureAwait(false);
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

    private async Task EnsureTagAsync(List<string> actions, string name, string color, CancellationToken cancellationToken)
    {
        if (await client.FindTagAsync(name, cancellationToken).ConfigureAwait(false) is { } tag)
        {
            actions.Add($"exists   tag {name} (slug {tag.Slug})");
            return;
        }

        if (dryRun)
        {
            actions.Add($"would create tag {name} (slug {Tags.SlugOf(name)})");
            return;
        }

        var (created, _) = await client.EnsureTagAsync(name, color, "Created by nautilus netbox bootstrap", cancellationToken).ConfigureAwait(false);
        actions.Add($"created  tag {name} (slug {created.Slug})");
    }
}
