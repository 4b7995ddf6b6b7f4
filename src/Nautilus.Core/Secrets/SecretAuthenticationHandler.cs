using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Nautilus.Core.Secrets;

/// <summary>
/// Puts a secret from <see cref="ISecretSource"/> on each request (Authorization, PRIVATE-TOKEN, …) and makes
/// rotation work without a restart: on a 401/403 it invalidates the secret, re-reads it, and when the value
/// changed retries the request once with the new one. Sits inside the upstream's error handler, so that
/// handler sees the outcome of the retry; outside the resilience handler, so a 401 is never retried blindly.
/// </summary>
public sealed class SecretAuthenticationHandler(
    ISecretSource secrets,
    SecretName name,
    Action<HttpRequestMessage, string> apply,
    ILogger logger) : DelegatingHandler
{
    /// <summary>Where the secret on this request came from, for the error handler's message.</summary>
    public static readonly HttpRequestOptionsKey<string> Origin = new("nautilus.secret.origin");

    public static string? OriginOf(HttpRequestMessage request) =>
        request.Options.TryGetValue(Origin, out var origin) ? origin : null;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Options.Set(Origin, secrets.Describe(name));
        var used = await secrets.GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (used is not null)
        {
            apply(request, used);
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
        {
            return response;
        }

        // A concurrent request may already have picked up the rotated value; only re-read when it did not.
        var current = await secrets.GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (current == used)
        {
            secrets.Invalidate(name);
            current = await secrets.GetAsync(name, cancellationToken).ConfigureAwait(false);
        }

        if (current is null || current == used)
        {
            return response;
        }

        logger.LogInformation(
            "{Host} refused {Secret} with {Status}; it has been rotated, retrying {Method} {Path} once with the new value",
            request.RequestUri?.Host, secrets.Describe(name), (int)response.StatusCode, request.Method, request.RequestUri?.AbsolutePath);
        response.Dispose();
        apply(request, current);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}

public static class SecretAuthentication
{
    /// <summary>
    /// Authenticates this client's requests with a secret from the registered <see cref="ISecretSource"/>
    /// (re-read after a 401/403). <paramref name="format"/> turns the secret into the header value
    /// (e.g. NetBox's "Token …"/"Bearer …"); without a registered source, requests go unauthenticated.
    /// Add it right after the upstream's error handler.
    /// </summary>
    public static IHttpClientBuilder AddSecretAuthentication(this IHttpClientBuilder builder, SecretName name, string header, Func<string, string>? format = null)
    {
        void Apply(HttpRequestMessage request, string secret)
        {
            request.Headers.Remove(header);
            request.Headers.TryAddWithoutValidation(header, format is null ? secret : format(secret));
        }

        return builder.AddHttpMessageHandler(sp =>
        {
            var logger = sp.GetService<ILoggerFactory>()?.CreateLogger<SecretAuthenticationHandler>() ?? (ILogger)NullLogger.Instance;
            var secrets = sp.GetService<ISecretSource>() ?? NoSecrets.Instance;
            return new SecretAuthenticationHandler(secrets, name, Apply, logger);
        });
    }

    private sealed class NoSecrets : ISecretSource
    {
        public static NoSecrets Instance { get; } = new();

        public Task<string?> GetAsync(SecretName name, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

        public void Invalidate(SecretName name)
        {
        }
    }
}
