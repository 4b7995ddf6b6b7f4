using Nautilus.Core.NetBox;

namespace Nautilus.Core.Terraform;

/// <summary>A managed resource instance in a state that stands for a NetBox object, with what the state says about it.</summary>
public sealed record StateObject(
    ObjectKind Kind,
    int Id,
    string StateName,
    string Address,
    string? Name,
    decimal? Vcpus,
    long? MemoryMb,
    long? DiskMb,
    long DiskGranularityMb);
