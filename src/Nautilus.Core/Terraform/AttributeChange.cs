namespace Nautilus.Core.Terraform;

public sealed record AttributeChange(string Name, string Before, string After, bool ForcesReplacement, bool Sensitive);
