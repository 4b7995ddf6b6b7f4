using Nautilus.Core.NetBox;

namespace Nautilus.Core.Terraform;

/// <summary>What a wave's outputs say about one NetBox object.</summary>
public sealed record ObjectOutput(ObjectKind Kind, int Id, string? Name, string? Ipv4);
