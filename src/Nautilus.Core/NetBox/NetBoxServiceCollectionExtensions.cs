using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Nautilus.Core.Http;
using Nautilus.Core.Secrets;
using Refit;

namespace Nautilus.Core.NetBox;

public static class NetBoxServiceCollectionExtensions
{
    /// <summary>
    /// Registers the typed NetBox client: auth header, error mapping outside retries, retries with back-off.
    /// Refit 16 needs AddRefitGeneratedClient: AddRefitClient asks for the reflection builder, which is a separate package.
    /// The token is <see cref="NetBoxOptions.Token"/> when given, else the registered <see cref="ISecretSource"/>'s
    /// (re-read once after a 401/403, so a token rotated in Vault is picked up without a restart).
    /// </summary>
    public static IServiceCollection AddNetBox(this IServiceCollection services, NetBoxOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<NetBoxServerInfo>();
        services.AddTransient<NetBoxErrorHandler>();
        services.AddTransient<NetBoxServerInfoHandler>();
        var builder = services
            .AddRefitGeneratedClient<INetBoxApi>(new RefitSettings
            {
                ContentSerializer = new SystemTextJsonContentSerializer(options.KeepUnknownFields ? NetBoxSnapshot.JsonOptions : NetBoxSnapshot.LeanJsonOptions),
                CollectionFormat = CollectionFormat.Multi,
            })
            .ConfigureHttpClient(client =>
            {
                client.BaseAddress = options.BaseUrl;
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("nautilus", typeof(NetBoxClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
                if (options.AuthorizationHeader is { } auth)
                {
                    client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", auth);
                }
            })
            .AddHttpMessageHandler<NetBoxErrorHandler>();
        if (options.Token is null)
        {
            builder.AddSecretAuthentication(SecretName.NetBoxToken, "Authorization", NetBoxOptions.AuthorizationOf);
        }

        builder
            .AddHttpMessageHandler<NetBoxServerInfoHandler>()
            .AddUpstreamResilience("netbox", options.Resilience);
        services.AddSingleton<NetBoxClient>();
        return services;
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
