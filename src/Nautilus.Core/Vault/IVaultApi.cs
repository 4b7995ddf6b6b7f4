using Refit;

namespace Nautilus.Core.Vault;

/// <summary>
/// Vault's (and OpenBao's, which keeps the same API) HTTP API, the calls Nautilus makes
/// (developer.hashicorp.com/vault/api-docs). Mount and secret paths may hold slashes
/// (auth/gitlab/jwt, nautilus/netbox_token), hence the {**…} round-tripping parameters.
/// </summary>
public interface IVaultApi
{
    /// <summary>JWT/OIDC login with a GitLab CI id_token (api-docs/auth/jwt#jwt-login).</summary>
    [Post("/v1/auth/{**mount}/login")]
    Task<VaultResponse<VaultEmpty>> LoginJwtAsync(string mount, [Body] VaultJwtLogin login, CancellationToken cancellationToken);

    /// <summary>AppRole login (api-docs/auth/approle#login-with-approle).</summary>
    [Post("/v1/auth/{**mount}/login")]
    Task<VaultResponse<VaultEmpty>> LoginAppRoleAsync(string mount, [Body] VaultAppRoleLogin login, CancellationToken cancellationToken);

    /// <summary>The calling token's own properties: TTL, renewability, policies (api-docs/auth/token#lookup-a-token-self).</summary>
    [Get("/v1/auth/token/lookup-self")]
    Task<VaultResponse<VaultTokenInfo>> LookupSelfAsync([Header("X-Vault-Token")] string token, CancellationToken cancellationToken);

    /// <summary>Extends the calling token's lease, up to its max TTL (api-docs/auth/token#renew-a-token-self).</summary>
    [Post("/v1/auth/token/renew-self")]
    Task<VaultResponse<VaultEmpty>> RenewSelfAsync([Header("X-Vault-Token")] string token, [Body] VaultRenew renew, CancellationToken cancellationToken);

    /// <summary>The latest version of a KV v2 secret (api-docs/secret/kv/kv-v2#read-secret-version); 404 when none is written.</summary>
    [Get("/v1/{**mount}/data/{**path}")]
    Task<IApiResponse<VaultResponse<VaultKvData>>> ReadKvAsync(string mount, string path, [Header("X-Vault-Token")] string token,
        CancellationToken cancellationToken);
}
