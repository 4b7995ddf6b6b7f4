using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Nautilus.Core.Http;
using Nautilus.Core.Secrets;
using Refit;

namespace Nautilus.Core.NetBox;

public static class NetBoxServiceCollectionExtensions
{
    /// <summary>
    /// Registers the typed NetBox client: error mapping outside auth and retries, the token (re-read once after a
    /// 401/403 through <see cref="SecretAuthenticationHandler"/>, so a token rotated in Vault is picked up without a
    /// restart), retries with back-off. The token is <see cref="NetBoxOptions.Token"/> when given, else the registered
    /// <see cref="ISecretSource"/>'s. Refit 16 needs AddRefitGeneratedClient: AddRefitClient asks for the reflection
    /// builder, which is a separate package.
    /// </summary>
    public static IServiceCollection AddNetBox(this IServiceCollection services, NetBoxOptions options) =>
        services.AddNetBox(_ => options);

    /// <summary>The same, with options the container builds (the service reads them from its validated settings).</summary>
    public static IServiceCollection AddNetBox(this IServiceCollection services, Func<IServiceProvider, NetBoxOptions> optionsOf)
    {
        services.AddSingleton(optionsOf);
        services.AddSingleton<NetBoxServerInfo>();
        services.AddTransient<NetBoxErrorHandler>();
        services.AddTransient<NetBoxServerInfoHandler>();
        services.AddSingleton(provider =>
            new NetBoxApiFactory(provider.GetRequiredService<IHttpClientFactory>(), RefitSettingsOf(provider.GetRequiredService<NetBoxOptions>())));
        services
            .AddRefitGeneratedClient<INetBoxApi>(sp => RefitSettingsOf(sp.GetRequiredService<NetBoxOptions>()), NetBoxApiFactory.HttpClientName)
            .ConfigureHttpClient((sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredService<NetBoxOptions>().BaseUrl;
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("nautilus",
                    typeof(NetBoxClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
            })
            .AddHttpMessageHandler<NetBoxErrorHandler>()
            .AddSecretAuthentication(SecretName.NetBoxToken, sp =>
            (
                sp.GetRequiredService<NetBoxOptions>().Token is { Length: > 0 } token
                    ? new FixedSecretSource(SecretName.NetBoxToken, token, "the NetBox token given to the client") : null,
                (request, secret) => SecretAuthentication.SetHeader(request, "Authorization", NetBoxOptions.AuthorizationOf(secret))
            ))
            .AddHttpMessageHandler<NetBoxServerInfoHandler>()
            .AddUpstreamResilience("netbox", sp => sp.GetRequiredService<NetBoxOptions>().Resilience);
        services.AddSingleton(provider => new NetBoxClient(
            provider.GetRequiredService<INetBoxApi>(),
            provider.GetRequiredService<NetBoxOptions>(),
            provider.GetRequiredService<NetBoxServerInfo>(),
            provider.GetRequiredService<Microsoft.Extensions.Logging.ILogger<NetBoxClient>>(),
            provider.GetRequiredService<NetBoxApiFactory>()));
        return services;
    }

    private static RefitSettings RefitSettingsOf(NetBoxOptions options) => new()
    {
        ContentSerializer = new SystemTextJsonContentSerializer(options.KeepUnknownFields ? NetBoxSnapshot.JsonOptions : NetBoxSnapshot.LeanJsonOptions),
        CollectionFormat = CollectionFormat.Multi,
    };
}

/// <summary>
/// Makes the typed NetBox API over the registered client's handlers (auth, errors, retries), optionally working inside
/// a branch: every request of such an API carries X-NetBox-Branch, so a branch is chosen once, not per call.
/// </summary>
public sealed class NetBoxApiFactory(IHttpClientFactory httpClients, RefitSettings settings)
{
    public const string HttpClientName = "nautilus-netbox";

    public INetBoxApi Create(string? schemaId)
    {
        var http = httpClients.CreateClient(HttpClientName);
        if (schemaId is not null)
        {
            http.DefaultRequestHeaders.Add(NetBoxBranch.Header, schemaId);
        }

        return RestService.ForGenerated<INetBoxApi>(http, settings);
    }
}

/// <summary>What NetBox said about itself: the API-Version header (major.minor) of its last answer.</summary>
public sealed class NetBoxServerInfo
{
    public string? ApiVersion { get; set; }
}

public sealed class NetBoxServerInfoHandler(NetBoxServerInfo info) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Headers.TryGetValues("API-Version", out var values))
        {
            info.ApiVersion = values.FirstOrDefault();
        }

        return response;
    }
}
