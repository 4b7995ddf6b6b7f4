using Nautilus.Core.NetBox;

namespace Nautilus.Core.Terraform;

/// <summary>A managed resource instance in a state that stands for a NetBox object, with what the state says about it.</summary>
/// <param name="Disk">GB when <paramref name="InProviderUnits"/>, else MB.</param>
/// <param name="InProviderUnits">
/// Sizes as the generated code writes them (whole vCPUs, disk in GB: <see cref="ProviderUnits"/>), which is how the
/// providers' VM resources hold them; false for resources that carry NetBox's own units (decimal vCPUs, disk MB).
/// </param>
public sealed record StateObject(
    ObjectKind Kind,
    int Id,
    string StateName,
    string Address,
    string? Name,
    decimal? Vcpus,
    long? MemoryMb,
    long? Disk,
    bool InProviderUnits);
