using Microsoft.Extensions.Configuration;

namespace Nautilus.Core.Secrets;

/// <summary>The secrets of docs/design.md §9, by role.</summary>
public enum SecretName
{
    NetBoxToken,
    GitLabToken,
    WebhookSecret,
    VsphereUser,
    VspherePassword,

    /// <summary>The Standard Webhooks signing token (whsec_…) of the webhook service; optional.</summary>
    WebhookSigningToken,
}

/// <summary>
/// One secret source for the CLI and the service: Vault/OpenBao when VAULT_ADDR is set (never a silent
/// fallback), else the NAUTILUS_* variables. Every value read is registered with the redactor.
/// </summary>
public interface ISecretSource
{
    Task<string?> GetAsync(SecretName name, CancellationToken cancellationToken);

    /// <summary>Forget a cached value so the next read fetches it again (after a 401/403: rotation).</summary>
    void Invalidate(SecretName name);

    /// <summary>Where the secret comes from, for messages that tell a user what to fix (never the value).</summary>
    string Describe(SecretName name) => name.ToString();
}

/// <summary>Secrets from configuration: NAUTILUS_* variables or appsettings.</summary>
public sealed class ConfigurationSecretSource(IConfiguration configuration, SecretRedactor redactor) : ISecretSource
{
    public static string KeyOf(SecretName name) => name switch
    {
        SecretName.NetBoxToken => "Nautilus:NetBox:Token",
        SecretName.GitLabToken => "Nautilus:GitLab:Token",
        SecretName.WebhookSecret => "Nautilus:Webhooks:Secret",
        SecretName.VsphereUser => "Nautilus:VSphere:User",
        SecretName.VspherePassword => "Nautilus:VSphere:Password",
        SecretName.WebhookSigningToken => "Nautilus:Webhooks:SigningToken",
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    public Task<string?> GetAsync(SecretName name, CancellationToken cancellationToken)
    {
        var value = configuration[KeyOf(name)];
        if (name == SecretName.WebhookSecret && value is not null)
        {
            foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                redactor.Register(part);
            }
        }
        else
        {
            redactor.Register(value);
        }

        return Task.FromResult(string.IsNullOrEmpty(value) ? null : value);
    }

    public void Invalidate(SecretName name)
    {
    }

    public string Describe(SecretName name) => name switch
    {
        SecretName.NetBoxToken => "NAUTILUS_NETBOX_TOKEN",
        SecretName.GitLabToken => "NAUTILUS_GITLAB_TOKEN",
        SecretName.WebhookSecret => "NAUTILUS_WEBHOOK_SECRET",
        SecretName.WebhookSigningToken => "NAUTILUS_WEBHOOK_SIGNING_TOKEN",
        _ => KeyOf(name),
    };
}
