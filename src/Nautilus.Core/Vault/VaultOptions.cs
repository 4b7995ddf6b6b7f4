using Microsoft.Extensions.Configuration;
using Nautilus.Core.Http;
using Nautilus.Core.Secrets;

namespace Nautilus.Core.Vault;

/// <summary>How Nautilus logs in to Vault, in docs/design.md §9's order of preference.</summary>
public enum VaultAuthMethod
{
    /// <summary>A GitLab CI id_token (VAULT_ID_TOKEN) at auth/jwt.</summary>
    Jwt,

    /// <summary>VAULT_ROLE_ID and VAULT_SECRET_ID at auth/approle (the service).</summary>
    AppRole,

    /// <summary>VAULT_TOKEN as given (a developer's token).</summary>
    Token,
}

/// <summary>Vault/OpenBao settings (configuration keys Nautilus:Vault:*, fed by the VAULT_* variables).</summary>
public sealed record VaultOptions
{
    public const string Section = "Nautilus:Vault";

    public required Uri Address { get; init; }
    public VaultAuthMethod Method { get; init; }
    public string? Token { get; init; }
    public string? IdToken { get; init; }
    public string? Role { get; init; }
    public string? RoleId { get; init; }
    public string? SecretId { get; init; }

    /// <summary>Where the auth method is mounted (VAULT_AUTH_PATH, as GitLab's own Vault integration calls it); default jwt or approle.</summary>
    public string? AuthPath { get; init; }

    /// <summary>Enterprise/OpenBao namespace, sent as X-Vault-Namespace on every request.</summary>
    public string? Namespace { get; init; }

    /// <summary>A PEM file with the CA(s) that signed Vault's certificate (VAULT_CACERT, as the vault CLI reads it).</summary>
    public string? CaCert { get; init; }

    /// <summary>The KV v2 mount (NAUTILUS_VAULT_MOUNT, default secret).</summary>
    public string Mount { get; init; } = "secret";

    /// <summary>The folder under the mount holding Nautilus's secrets (Nautilus:Vault:Prefix, default nautilus).</summary>
    public string Prefix { get; init; } = "nautilus";

    public ResilienceSettings Resilience { get; init; } = ResilienceSettings.Default;

    public string AuthMount => (AuthPath ?? (Method == VaultAuthMethod.AppRole ? "approle" : "jwt")).Trim('/');

    /// <summary>Re-login is possible for JWT and AppRole; a given token can only be renewed.</summary>
    public bool CanLogIn => Method is VaultAuthMethod.Jwt or VaultAuthMethod.AppRole;

    /// <summary>Never prints a credential, whatever logs or exceptions this record ends up in.</summary>
    public override string ToString() =>
        $"Vault {Address} ({DescribeLogin}{(Namespace is null ? "" : $", namespace {Namespace}")}, KV v2 mount {Mount}, prefix {Prefix})";

    /// <summary>How we authenticate, for messages; never a secret.</summary>
    public string DescribeLogin => Method switch
    {
        VaultAuthMethod.Jwt => $"JWT login with role '{Role ?? "(the mount's default_role)"}' at auth/{AuthMount}",
        VaultAuthMethod.AppRole => Role is null ? $"AppRole login at auth/{AuthMount}" : $"AppRole login with role '{Role}' at auth/{AuthMount}",
        _ => "VAULT_TOKEN",
    };

    /// <summary>Where each secret lives: docs/design.md §9's paths and keys under <see cref="Prefix"/>.</summary>
    public (string Path, string Key) Locate(SecretName name) => name switch
    {
        SecretName.NetBoxToken => ($"{Prefix}/netbox_token", "token"),
        SecretName.GitLabToken => ($"{Prefix}/gitlab_token", "token"),
        SecretName.WebhookSecret => ($"{Prefix}/webhook_secret", "token"),
        SecretName.VsphereUser => ($"{Prefix}/vsphere_creds", "user"),
        SecretName.VspherePassword => ($"{Prefix}/vsphere_creds", "password"),

        // Optional (the webhook service verifies signatures only when it is set), so its own path: an absent path reads as "not configured".
        SecretName.WebhookSigningToken => ($"{Prefix}/webhook_signing_token", "token"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>True when VAULT_ADDR (Nautilus:Vault:Address) is set: Vault is then the only secret source.</summary>
    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{Section}:Address"]);

    /// <summary>
    /// Reads the settings; the method is JWT when VAULT_ID_TOKEN is set, else AppRole when VAULT_ROLE_ID is,
    /// else VAULT_TOKEN. Missing or half-given credentials are reported together.
    /// </summary>
    public static VaultOptions FromConfiguration(IConfiguration configuration, ResilienceSettings? resilience = null)
    {
        string? Get(string key) => configuration[$"{Section}:{key}"] is { Length: > 0 } v ? v.Trim() : null;

        var address = Get("Address")!;
        if (!Uri.TryCreate(address.TrimEnd('/') + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw NautilusException.Usage($"VAULT_ADDR '{address}' is not an http(s) URL. Set it to the Vault/OpenBao server, e.g. " +
                $"https://vault.example.com:8200.");
        }

        var options = new VaultOptions
        {
            Address = uri,
            Token = Get("Token"),
            IdToken = Get("IdToken"),
            Role = Get("AuthRole"),
            RoleId = Get("RoleId"),
            SecretId = Get("SecretId"),
            AuthPath = Get("AuthPath"),
            Namespace = Get("Namespace"),
            CaCert = Get("CaCert"),
            Mount = Get("Mount")?.Trim('/') ?? "secret",
            Prefix = Get("Prefix")?.Trim('/') ?? "nautilus",
            Resilience = resilience ?? ResilienceSettings.Default,
        };

        var problems = new List<string>();
        VaultAuthMethod method;
        if (options.IdToken is not null)
        {
            method = VaultAuthMethod.Jwt;
        }
        else if (options.RoleId is not null || options.SecretId is not null)
        {
            method = VaultAuthMethod.AppRole;
            if (options.RoleId is null)
            {
                problems.Add("VAULT_SECRET_ID is set but VAULT_ROLE_ID is not");
            }

            if (options.SecretId is null)
            {
                problems.Add("VAULT_ROLE_ID is set but VAULT_SECRET_ID is not");
            }
        }
        else if (options.Token is not null)
        {
            method = VaultAuthMethod.Token;
        }
        else
        {
            throw NautilusException.Auth(
                $"VAULT_ADDR is set ({uri}) but no Vault credentials are: set VAULT_ID_TOKEN and VAULT_AUTH_ROLE (GitLab CI id_tokens), " +
                "or VAULT_ROLE_ID and VAULT_SECRET_ID (AppRole), or VAULT_TOKEN. Unset VAULT_ADDR to read secrets from the NAUTILUS_* variables instead.");
        }

        if (options.CaCert is not null && !File.Exists(options.CaCert))
        {
            problems.Add($"VAULT_CACERT names '{options.CaCert}', which does not exist");
        }

        if (problems.Count > 0)
        {
            throw new NautilusException(
                ExitCode.Usage,
                $"Vault is not configured correctly: {string.Join("; ", problems)}. Fix the VAULT_* variables and run again.")
            {
                Details = problems,
            };
        }

        return options with { Method = method };
    }
}
