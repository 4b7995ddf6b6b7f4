namespace Nautilus.Core.Terraform;

/// <summary>The result of one Terraform command.</summary>
public sealed record TerraformRun(int ExitCode, string Stdout);
