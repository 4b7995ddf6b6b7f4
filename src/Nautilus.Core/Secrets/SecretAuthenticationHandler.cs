using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Nautilus.Core.Secrets;

/// <summary>
/// The one way an upstream client (NetBox, GitLab; in the CLI and the service alike) authenticates and picks up a
/// rotated token without a restart. Puts a secret from <see cref="ISecretSource"/> on each request (Authorization,
/// PRIVATE-TOKEN, …); on a 401/403 it invalidates the secret, re-reads it, and when the value changed retries the
/// request once with the new one. Sits inside the upstream's error handler, so that handler sees the outcome of the
/// retry; outside the resilience handler, so a 401 is never retried blindly.
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
    /// Authenticates this client's requests with a secret, re-read after a 401/403. <paramref name="configure"/> runs when
    /// the container builds the client: it picks the source (null: the registered <see cref="ISecretSource"/>; without
    /// one, requests go unauthenticated) and how the secret goes on a request. Add it right after the upstream's error handler.
    /// </summary>
    public static IHttpClientBuilder AddSecretAuthentication(
        this IHttpClientBuilder builder,
        SecretName name,
        Func<IServiceProvider, (ISecretSource? Source, Action<HttpRequestMessage, string> Apply)> configure) =>
        builder.AddHttpMessageHandler(sp =>
        {
            var (source, apply) = configure(sp);
            var logger = sp.GetService<ILoggerFactory>()?.CreateLogger<SecretAuthenticationHandler>() ?? (ILogger)NullLogger.Instance;
            var secrets = source ?? sp.GetService<ISecretSource>() ?? new FixedSecretSource(name, null, name.ToString());
            return new SecretAuthenticationHandler(secrets, name, apply, logger);
        });

    /// <summary>Replaces <paramref name="header"/> (a retry must not carry the refused value as well).</summary>
    public static void SetHeader(HttpRequestMessage request, string header, string value)
    {
        request.Headers.Remove(header);
        request.Headers.TryAddWithoutValidation(header, value);
    }
}
