namespace Nautilus.Core.Rendering;

// View-models built for the templates (snake_case there: ResourceName → resource_name). Strings are raw
// NetBox text: templates must pass them through hcl / yaml; identifiers and keys are already safe.

/// <summary>The whole work package, given to Ansible templates as `work_package`.</summary>
public sealed record WorkPackageModel(
    string Name,
    string Source,
    string Provider,
    string Generator,
    IReadOnlyList<WaveModel> Waves);

/// <summary>One wave: a Terraform root module and an Ansible playbook; given to templates as `wave`.</summary>
public sealed record WaveModel(
    string Name,
    string Key,
    int Level,
    string StateName,
    IReadOnlyList<string> DependsOn,
    IReadOnlyList<string> DependsOnWp,
    string Group,
    IReadOnlyList<ObjectModel> Objects,
    IReadOnlyList<ObjectModel> VirtualMachines,
    IReadOnlyList<ObjectModel> Devices,
    IReadOnlyList<ClusterModel> Clusters,
    IReadOnlyList<RoleModel> Roles,
    bool HasUnroledObjects);

/// <summary>A NetBox VM or device with the names Terraform and Ansible know it by.</summary>
public sealed record ObjectModel
{
    /// <summary>"virtualization.virtualmachine" or "dcim.device".</summary>
    public required string ObjectType { get; init; }
    public required int Id { get; init; }
    public required bool IsVirtual { get; init; }
    public required string Name { get; init; }

    /// <summary>An HCL identifier unique in the work package.</summary>
    public required string ResourceName { get; init; }

    /// <summary>The address of the resource that stands for this object ("vsphere_virtual_machine.dc1_web_01").</summary>
    public required string TerraformAddress { get; init; }

    /// <summary>Guest host name: a DNS label.</summary>
    public required string Hostname { get; init; }

    public required string InventoryHost { get; init; }
    public string? Url { get; init; }

    /// <summary>"NetBox virtualization.virtualmachine 31 &lt;url&gt;" and the description on the next line: for notes fields.</summary>
    public required string Annotation { get; init; }

    public int? Sequence { get; init; }
    public string? Priority { get; init; }
    public string? Description { get; init; }
    public string? Comments { get; init; }
    public NamedRef? Role { get; init; }

    /// <summary>The role's slug (its name when NetBox sent no slug), or "" without a role: a lookup key for size maps.</summary>
    public string RoleSlug => Role is null ? "" : Role.Slug ?? Role.Name;

    public NamedRef? Site { get; init; }
    public NamedRef? Cluster { get; init; }

    /// <summary>The HCL identifier of the wave's cluster data source this VM is placed in.</summary>
    public string ClusterRef { get; init; } = "default";

    public NamedRef? Platform { get; init; }
    public NamedRef? Tenant { get; init; }
    public string? DeviceType { get; init; }
    public string? Serial { get; init; }
    public int? Vcpus { get; init; }
    public long? MemoryMb { get; init; }
    public long? DiskGb { get; init; }

    /// <summary>Primary IPv4 address without prefix length, e.g. "10.20.1.11".</summary>
    public string? Ipv4Address { get; init; }
    public int? Ipv4PrefixLength { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<KeyValueModel> CustomFields { get; init; } = [];
}

public sealed record NamedRef(int Id, string Name, string? Slug);

public sealed record KeyValueModel(string Key, string Value);

/// <summary>A vSphere cluster (or other placement) the wave's VMs use; Name null means "the default from variables".</summary>
public sealed record ClusterModel(string ResourceName, string? Name);

/// <summary>A NetBox role present in the wave, with its inventory group and an Ansible role name.</summary>
public sealed record RoleModel(string Name, string Slug, string Group, string AnsibleRole, IReadOnlyList<ObjectModel> Objects);
