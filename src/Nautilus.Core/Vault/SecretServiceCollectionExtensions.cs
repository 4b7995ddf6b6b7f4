using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Nautilus.Core.Http;
using Nautilus.Core.Secrets;

namespace Nautilus.Core.Vault;

/// <summary>
/// Chooses the secret source, so it lives beside Vault: Secrets/ holds what every source shares and never names
/// Vault (docs/design.md §1.2).
/// </summary>
public static class SecretServiceCollectionExtensions
{
    /// <summary>
    /// The one secret source of the CLI and the service (docs/design.md §9): Vault/OpenBao when VAULT_ADDR is
    /// set, with no fallback, else the NAUTILUS_* variables. A misconfigured Vault throws here.
    /// </summary>
    public static IServiceCollection AddSecretSource(this IServiceCollection services, IConfiguration configuration, ResilienceSettings? resilience = null)
    {
        services.TryAddSingleton<SecretRedactor>();
        if (VaultOptions.IsConfigured(configuration))
        {
            services.AddVault(VaultOptions.FromConfiguration(configuration, resilience));
        }
        else
        {
            services.AddSingleton<ISecretSource>(sp => new ConfigurationSecretSource(configuration, sp.GetRequiredService<SecretRedactor>()));
        }

        return services;
    }

    public static bool UsesVault(this IServiceCollection services) => services.Any(d => d.ServiceType == typeof(VaultClient));
}
