using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Nautilus.Core.Http;
using Refit;

namespace Nautilus.Core.GitLab;

public static class GitLabServiceCollectionExtensions
{
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Registers the typed GitLab client: error mapping outside retries, auth, retries that honour Retry-After and RateLimit-Reset.</summary>
    /// <remarks>Refit 16 serves source-generated clients only through AddRefitGeneratedClient; AddRefitClient needs the separate Refit.Reflection package.</remarks>
    public static IServiceCollection AddGitLab(this IServiceCollection services, GitLabOptions options)
    {
        services.AddSingleton(options);
        services.AddTransient<GitLabErrorHandler>();
        services.AddTransient<GitLabAuthHandler>();
        services
            .AddRefitGeneratedClient<IGitLabApi>(new RefitSettings
            {
                ContentSerializer = new SystemTextJsonContentSerializer(JsonOptions),
            })
            .ConfigureHttpClient(client =>
            {
                client.BaseAddress = options.ApiUrl;
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("nautilus", typeof(GitLabClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
            })
            .AddHttpMessageHandler<GitLabErrorHandler>()
            .AddUpstreamResilience("gitlab", options.Resilience)
            .AddHttpMessageHandler<GitLabAuthHandler>();
        services.AddSingleton<GitLabClient>();
        return services;
    }
}
