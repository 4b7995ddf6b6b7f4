namespace Nautilus.Core.Terraform;

/// <summary>
/// A Terraform provider Nautilus has templates for, and the resource type that stands for a VM in it.
/// Devices are physical: every provider records them as `terraform_data` resources, so each wave's plan and
/// state still lists every NetBox object of the wave.
/// </summary>
public sealed record TerraformProvider(string Name, string VmResourceType, string Description)
{
    public const string DeviceResourceType = "terraform_data";

    public static IReadOnlyList<TerraformProvider> All { get; } =
    [
        new("vsphere", "vsphere_virtual_machine", "VMware vSphere (vmware/vsphere): VMs cloned from a template into the NetBox cluster"),
        new("aws", "aws_instance", "AWS (hashicorp/aws): EC2 instances"),
        new("azure", "azurerm_linux_virtual_machine", "Azure (hashicorp/azurerm): Linux VMs with one NIC each"),
    ];

    public static TerraformProvider Default => All[0];

    public static TerraformProvider Parse(string? name)
    {
        var wanted = string.IsNullOrWhiteSpace(name) ? Default.Name : name.Trim().ToLowerInvariant();
        return All.FirstOrDefault(p => p.Name == wanted)
            ?? throw NautilusException.Usage($"--provider '{name}' is not supported; use one of {string.Join(", ", All.Select(p => p.Name))}.");
    }

    public string AddressOf(bool isVirtual, string resourceName) =>
        $"{(isVirtual ? VmResourceType : DeviceResourceType)}.{resourceName}";
}
