namespace Nautilus.Core.Terraform;

/// <summary>
/// NetBox sizes in the units the providers' VM resources take (vsphere_virtual_machine num_cpus and disk size in GB,
/// aws_instance volume_size, azurerm os_disk disk_size_gb). Generation writes these values and drift compares a
/// state against them, so a state written by applying the generated code is never drift.
/// </summary>
public static class ProviderUnits
{
    /// <summary>Whole vCPUs: NetBox's vcpus is a decimal (0.5, 1.5); providers take integers, so it is rounded up, at least 1.</summary>
    public static int Cpus(decimal vcpus) => Math.Max(1, (int)Math.Ceiling(vcpus));

    /// <summary>
    /// GB from NetBox's VM disk: MB since NetBox 4.1, GB before. NetBox 4.1 migrated GB × 1000 and shows MB / 1000
    /// as GB, so 1 GB is 1000 MB here; rounding up never undersizes a disk.
    /// </summary>
    public static long DiskGb(long disk, bool diskIsGigabytes) => diskIsGigabytes ? disk : (long)Math.Ceiling(disk / 1000.0);
}
