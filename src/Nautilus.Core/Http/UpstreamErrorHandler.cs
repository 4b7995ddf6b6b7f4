using System.Net;
using Polly.Timeout;

namespace Nautilus.Core.Http;

/// <summary>
/// The one choke point per upstream where HTTP failures become <see cref="NautilusException"/>s.
/// It sits outside the retry handler, so it sees the final outcome after retries; callers never
/// branch on status codes.
/// </summary>
public abstract class UpstreamErrorHandler : DelegatingHandler
{
    /// <summary>The upstream's name as users know it ("NetBox", "GitLab", "Vault").</summary>
    protected abstract string Upstream { get; }

    /// <summary>The setting a user fixes when the upstream cannot be reached.</summary>
    protected abstract string UrlSetting { get; }

    /// <summary>Map a non-success response; return null to pass it through to the caller (e.g. an expected 404).</summary>
    protected abstract NautilusException? Map(HttpRequestMessage request, HttpResponseMessage response, string body);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException
                                   || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw NautilusException.Unavailable(
                $"{Upstream} at {Describe(request)} did not answer ({Reason(ex)}) after retries. Check that {UrlSetting} points at a reachable {Upstream} " +
                    $"and try again.",
                ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        var body = response.Content is null ? "" : await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var mapped = Map(request, response, body) ?? Default(request, response, body);
        if (mapped is null)
        {
            return response;
        }

        response.Dispose();
        throw mapped;
    }

    private NautilusException? Default(HttpRequestMessage request, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500)
        {
            return new NautilusException(
                ExitCode.UpstreamUnavailable,
                $"{Upstream} answered {status} {response.ReasonPhrase} to {Describe(request)} after retries{Snippet(body)}. Try again later.")
            {
                RetryAfter = RetryAfterOf(response),
            };
        }

        return null;
    }

    public static string Describe(HttpRequestMessage request) => $"{request.Method} {request.RequestUri}";

    public static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    protected static string Snippet(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "";
        }

        var flat = body.ReplaceLineEndings(" ").Trim();
        return ": " + (flat.Length > 300 ? flat[..300] + "…" : flat);
    }

    private static string Reason(Exception ex) => ex switch
    {
        TimeoutRejectedException => "timed out",
        TaskCanceledException => "timed out",
        HttpRequestException { InnerException: { } inner } => inner.Message,
        _ => ex.Message,
    };
}
