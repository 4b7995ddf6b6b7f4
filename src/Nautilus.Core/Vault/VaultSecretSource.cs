using Microsoft.Extensions.Logging;
using Nautilus.Core.Secrets;

namespace Nautilus.Core.Vault;

/// <summary>
/// Secrets from Vault KV v2 (docs/design.md §9): one read per secret path (vsphere_creds holds two keys),
/// cached until <see cref="Invalidate"/> after a 401/403 from the upstream that used it. A configured Vault
/// that fails (down, sealed, denied) is an error, never a fallback to the NAUTILUS_* variables; a secret
/// that is not written is null, as an unset variable is.
/// </summary>
public sealed class VaultSecretSource(VaultClient client, ILogger<VaultSecretSource> logger) : ISecretSource
{
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>?> _cache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<string?> GetAsync(SecretName name, CancellationToken cancellationToken)
    {
        var (path, key) = client.Options.Locate(name);
        IReadOnlyDictionary<string, string>? values;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_cache.TryGetValue(path, out values))
            {
                values = await client.ReadAsync(path, cancellationToken).ConfigureAwait(false);
                _cache[path] = values;
            }
        }
        finally
        {
            _gate.Release();
        }

        if (values is null)
        {
            // Not written: the caller treats it as not configured (GitLab then uses CI_JOB_TOKEN; NetBox's 403 names this path).
            return null;
        }

        if (!values.TryGetValue(key, out var value) || string.IsNullOrEmpty(value))
        {
            var has = values.Count == 0 ? "no keys" : "keys " + string.Join(", ", values.Keys.Order(StringComparer.Ordinal));
            throw NautilusException.Auth(
                $"Vault secret {client.Options.Mount}/data/{path} has no value for '{key}' (it has {has}). " +
                $"Add it with vault kv patch -mount={client.Options.Mount} {path} {key}=… and run again.");
        }

        return value;
    }

    public void Invalidate(SecretName name)
    {
        var (path, _) = client.Options.Locate(name);
        _gate.Wait();
        try
        {
            if (_cache.Remove(path))
            {
                logger.LogInformation("Forgot the cached Vault secret {Mount}/data/{Path}; the next use reads it again", client.Options.Mount, path);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public string Describe(SecretName name)
    {
        var (path, key) = client.Options.Locate(name);
        return $"the Vault secret {client.Options.Mount}/data/{path} (key {key})";
    }
}
