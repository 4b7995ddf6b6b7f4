using System.Text.Json;
using Nautilus.Core.NetBox;

namespace Nautilus.Tests.Support;

/// <summary>Builds export files (docs/design.md §3) of planned VMs for shapes the example does not have: many waves, odd names.</summary>
public sealed class SyntheticExport
{
    private readonly List<VirtualMachine> _vms = [];
    private readonly Dictionary<string, Tag> _tags = new(StringComparer.Ordinal);

    public SyntheticExport Vm(string name, string workPackage, string? wave, int? sequence, string status = "planned", params string[] extraTags)
    {
        var id = _vms.Count + 1;
        var tags = new List<string> { "wp:" + workPackage };
        if (wave is not null)
        {
            tags.Add("wave:" + wave);
        }

        tags.AddRange(extraTags);
        var customFields = new Dictionary<string, JsonElement>
        {
            ["deployment_sequence"] = sequence is null ? JsonSerializer.SerializeToElement<object?>(null) : JsonSerializer.SerializeToElement(sequence.Value),
        };
        _vms.Add(new VirtualMachine
        {
            Id = id,
            Url = $"https://netbox.example.com/api/virtualization/virtual-machines/{id}/",
            Display = name,
            Name = name,
            Status = new ChoiceValue(JsonSerializer.SerializeToElement(status), status),
            Tags = tags.Select(Tag).ToList(),
            CustomFields = customFields,
            Vcpus = 2,
            Memory = 4096,
            Disk = 51200,
        });
        return this;
    }

    private NestedTag Tag(string name)
    {
        if (!_tags.TryGetValue(name, out var tag))
        {
            tag = new Tag { Id = _tags.Count + 1, Name = name, Slug = Core.Tags.SlugOf(name), Display = name };
            _tags[name] = tag;
        }

        return new NestedTag { Id = tag.Id, Name = tag.Name, Slug = tag.Slug, Display = tag.Display };
    }

    public string WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "export.json");
        var snapshot = new NetBoxSnapshot { NetBoxVersion = "4.6.8", VirtualMachines = _vms, Tags = _tags.Values.ToList() };
        File.WriteAllText(path, JsonSerializer.Serialize(snapshot, NetBoxSnapshot.JsonOptions));
        return path;
    }
}
