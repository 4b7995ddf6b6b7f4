namespace Nautilus.Core.Secrets;

/// <summary>
/// A secret given once rather than read from configuration or Vault: CI_JOB_TOKEN, valid for its job only, or a
/// token handed to a client in code. There is nothing to re-read, so a refused value stays refused.
/// </summary>
public sealed class FixedSecretSource(SecretName name, string? value, string origin) : ISecretSource
{
    public Task<string?> GetAsync(SecretName requested, CancellationToken cancellationToken) =>
        Task.FromResult(requested == name && !string.IsNullOrEmpty(value) ? value : null);

    public void Invalidate(SecretName requested)
    {
    }

    public string Describe(SecretName requested) => origin;
}
