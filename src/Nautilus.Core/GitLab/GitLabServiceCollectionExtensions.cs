using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Nautilus.Core.Http;
using Nautilus.Core.Secrets;
using Refit;

namespace Nautilus.Core.GitLab;

public static class GitLabServiceCollectionExtensions
{
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Registers the typed GitLab client: error mapping outside auth and retries, the token through
    /// <see cref="SecretAuthenticationHandler"/> (an access token from the secret source is re-read once after a
    /// 401/403, so a rotated token is picked up without a restart), retries that honour Retry-After and RateLimit-Reset.
    /// </summary>
    /// <remarks>Refit 16 serves source-generated clients only through AddRefitGeneratedClient; AddRefitClient needs the separate Refit.Reflection
    /// package.</remarks>
    public static IServiceCollection AddGitLab(this IServiceCollection services, GitLabOptions options) =>
        services.AddGitLab(_ => options);

    /// <summary>The same, with options the container builds (the service reads them from its validated settings).</summary>
    public static IServiceCollection AddGitLab(this IServiceCollection services, Func<IServiceProvider, GitLabOptions> optionsOf)
    {
        services.AddSingleton(optionsOf);
        services.AddTransient<GitLabErrorHandler>();
        services
            .AddRefitGeneratedClient<IGitLabApi>(new RefitSettings
            {
                ContentSerializer = new SystemTextJsonContentSerializer(JsonOptions),
            })
            .ConfigureHttpClient((sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredService<GitLabOptions>().ApiUrl;
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("nautilus",
                    typeof(GitLabClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
            })
            .AddHttpMessageHandler<GitLabErrorHandler>()
            .AddSecretAuthentication(SecretName.GitLabToken, sp =>
            {
                var options = sp.GetRequiredService<GitLabOptions>();
                var source = options.TokenKind == GitLabTokenKind.Private && options.Secrets is { } secrets
                    ? secrets
                    : new FixedSecretSource(SecretName.GitLabToken, options.Token, options.TokenOrigin);
                return (source, (request, token) => ApplyToken(options.TokenKind, request, token));
            })
            .AddUpstreamResilience("gitlab", sp => sp.GetRequiredService<GitLabOptions>().Resilience);
        services.AddSingleton<GitLabClient>();
        return services;
    }

    /// <summary>
    /// An access token goes in PRIVATE-TOKEN. A job token goes in JOB-TOKEN, except on the Terraform state API, which
    /// takes it only as HTTP basic auth with user gitlab-ci-token (gitlab lib/api/terraform/state.rb,
    /// job_token_allowed: :basic_auth; docs/design.md §13).
    /// </summary>
    private static void ApplyToken(GitLabTokenKind kind, HttpRequestMessage request, string token)
    {
        request.Headers.Remove("PRIVATE-TOKEN");
        request.Headers.Remove("JOB-TOKEN");
        request.Headers.Authorization = null;
        switch (kind)
        {
            case GitLabTokenKind.Private:
                request.Headers.TryAddWithoutValidation("PRIVATE-TOKEN", token);
                break;
            case GitLabTokenKind.Job when request.RequestUri?.AbsolutePath.Contains("/terraform/state/", StringComparison.Ordinal) == true:
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                    Convert.ToBase64String(Encoding.UTF8.GetBytes("gitlab-ci-token:" + token)));
                break;
            case GitLabTokenKind.Job:
                request.Headers.TryAddWithoutValidation("JOB-TOKEN", token);
                break;
        }
    }
}
