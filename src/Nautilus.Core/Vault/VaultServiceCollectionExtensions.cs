using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Nautilus.Core.Http;
using Nautilus.Core.Secrets;
using Refit;

namespace Nautilus.Core.Vault;

public static class VaultServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Vault client and makes Vault the <see cref="ISecretSource"/>: namespace header, custom CA,
    /// error mapping outside retries, retries with back-off. Needs a <see cref="SecretRedactor"/> (added if absent).
    /// </summary>
    public static IServiceCollection AddVault(this IServiceCollection services, VaultOptions options)
    {
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SecretRedactor>();
        services.AddTransient<VaultErrorHandler>();
        services
            .AddRefitGeneratedClient<IVaultApi>(new RefitSettings { ContentSerializer = new SystemTextJsonContentSerializer(VaultJson.Options) })
            .ConfigureHttpClient(client =>
            {
                client.BaseAddress = options.Address;
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("nautilus",
                    typeof(VaultClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
                if (options.Namespace is { } ns)
                {
                    client.DefaultRequestHeaders.Add("X-Vault-Namespace", ns);
                }
            })
            .ConfigurePrimaryHttpMessageHandler(() => PrimaryHandler(options))
            .AddHttpMessageHandler<VaultErrorHandler>()
            .AddUpstreamResilience("vault", options.Resilience);
        services.AddSingleton<VaultClient>();
        services.AddSingleton<VaultSecretSource>();
        services.AddSingleton<ISecretSource>(sp => sp.GetRequiredService<VaultSecretSource>());
        return services;
    }

    /// <summary>The service keeps its token alive in the background (the CLI renews lazily on use).</summary>
    public static IServiceCollection AddVaultTokenRenewal(this IServiceCollection services)
    {
        services.AddHostedService<VaultTokenRenewalService>();
        return services;
    }

    /// <summary>
    /// With VAULT_CACERT, Vault's certificate must chain to one of the file's CAs (as the vault CLI does),
    /// instead of the system store; the host name is still checked.
    /// </summary>
    internal static HttpMessageHandler PrimaryHandler(VaultOptions options)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (options.CaCert is { } path)
        {
            var roots = new X509Certificate2Collection();
            try
            {
                roots.ImportFromPemFile(path);
            }
            catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw NautilusException.Usage($"VAULT_CACERT '{path}' could not be read as PEM certificates ({ex.Message}). Point it at the CA bundle that " +
                    $"signed Vault's certificate.");
            }

            if (roots.Count == 0)
            {
                throw NautilusException.Usage($"VAULT_CACERT '{path}' holds no PEM certificate. Point it at the CA bundle that signed Vault's certificate.");
            }

            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(roots);
            handler.SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy };
        }

        return handler;
    }
}
