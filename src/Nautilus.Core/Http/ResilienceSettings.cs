using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace Nautilus.Core.Http;

/// <summary>
/// Retry and timeout settings of the upstream clients (NetBox, GitLab, Vault). Both executables read the same keys,
/// Nautilus:Http:* (docs/design.md §9); each has its own defaults (<see cref="Default"/> for the CLI, the webhook
/// service's fewer and shorter ones as its queue retries the whole job). Tests shrink the delays.
/// </summary>
public sealed record ResilienceSettings
{
    /// <summary>The configuration section of the keys below.</summary>
    public const string Section = "Nautilus:Http";

    public int MaxRetries { get; init; } = 4;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest Retry-After we honour before giving up on an attempt.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The CLI's: a person or a CI job waits, so an upstream gets more time to come back.</summary>
    public static ResilienceSettings Default { get; } = new();

    /// <summary>
    /// Nautilus:Http:MaxRetries (retries after the first attempt), BaseDelayMs (the first back-off, doubled each retry,
    /// with jitter), TimeoutSeconds (per attempt) and MaxRetryAfterSeconds (the longest Retry-After honoured), each
    /// falling back to <paramref name="defaults"/> (<see cref="Default"/> when null). A value that is not a number
    /// ≥ 0 (≥ 1 for MaxRetries, &gt; 0 for TimeoutSeconds) is a usage error naming the key.
    /// </summary>
    public static ResilienceSettings FromConfiguration(IConfiguration configuration, ResilienceSettings? defaults = null)
    {
        defaults ??= Default;
        var problems = new List<string>();
        var settings = new ResilienceSettings
        {
            MaxRetries = (int)Number(configuration, "MaxRetries", defaults.MaxRetries, 1, problems, whole: true),
            BaseDelay = TimeSpan.FromMilliseconds(Number(configuration, "BaseDelayMs", defaults.BaseDelay.TotalMilliseconds, 0, problems)),
            AttemptTimeout = TimeSpan.FromSeconds(Number(configuration, "TimeoutSeconds", defaults.AttemptTimeout.TotalSeconds, double.Epsilon, problems)),
            MaxRetryAfter = TimeSpan.FromSeconds(Number(configuration, "MaxRetryAfterSeconds", defaults.MaxRetryAfter.TotalSeconds, 0, problems)),
        };
        return problems.Count == 0 ? settings : throw NautilusException.Usage(string.Join(" ", problems));
    }

    private static double Number(IConfiguration configuration, string key, double fallback, double minimum, List<string> problems, bool whole = false)
    {
        var text = configuration[$"{Section}:{key}"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
            || value < minimum || (whole && value != Math.Floor(value)) || value > int.MaxValue)
        {
            problems.Add($"{Section}:{key} is '{text}'; use a {(whole ? "whole " : "")}number {(minimum == double.Epsilon ? "> 0" : $"≥ {minimum}")}.");
            return fallback;
        }

        return value;
    }
}

public static class ResilienceSetup
{
    /// <summary>
    /// Exponential back-off with jitter on 408/429/5xx, timeouts and connection failures, honouring
    /// Retry-After (and GitLab's RateLimit-Reset epoch) up to <see cref="ResilienceSettings.MaxRetryAfter"/>.
    /// </summary>
    public static IHttpClientBuilder AddUpstreamResilience(this IHttpClientBuilder builder, string name, ResilienceSettings settings) =>
        builder.AddUpstreamResilience(name, _ => settings);

    /// <summary>The same, with settings the container knows only when it builds the client.</summary>
    public static IHttpClientBuilder AddUpstreamResilience(this IHttpClientBuilder builder, string name, Func<IServiceProvider, ResilienceSettings> settingsOf)
    {
        builder.AddResilienceHandler(name, (pipeline, context) =>
        {
            var settings = settingsOf(context.ServiceProvider);
            // One line per attempt, so a user waiting on an unreachable upstream sees that it is being retried and when.
            var logger = context.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger("Nautilus.Http.Retry") ?? (ILogger)NullLogger.Instance;
            var attempts = Math.Max(1, settings.MaxRetries);
            var upstream = name switch { "netbox" => "NetBox", "gitlab" => "GitLab", "vault" => "Vault", _ => name };
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                OnRetry = args =>
                {
                    var request = args.Outcome.Result?.RequestMessage ?? args.Context.GetRequestMessage();
                    var why = args.Outcome.Exception switch
                    {
                        Polly.Timeout.TimeoutRejectedException => "timed out",
                        HttpRequestException { InnerException: { } inner } => inner.Message,
                        { } ex => ex.Message,
                        null => $"{(int)args.Outcome.Result!.StatusCode} {args.Outcome.Result.ReasonPhrase}",
                    };
                    RetryLog.Retrying(logger, upstream, request is null ? "" : $" ({request.Method} {request.RequestUri?.GetLeftPart(UriPartial.Path)})", why,
                        args.RetryDelay.TotalSeconds, args.AttemptNumber + 1, attempts);
                    return ValueTask.CompletedTask;
                },
                MaxRetryAttempts = Math.Max(1, settings.MaxRetries),
                Delay = settings.BaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = false,
                MaxDelay = settings.MaxRetryAfter,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: HttpRequestException or Polly.Timeout.TimeoutRejectedException } => true,
                    { Result: { } r } => r.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)r.StatusCode >= 500,
                    _ => false,
                }),
                DelayGenerator = args =>
                {
                    if (args.Outcome.Result is { } response)
                    {
                        var wait = UpstreamErrorHandler.RetryAfterOf(response) ?? RateLimitReset(response);
                        if (wait is { } w)
                        {
                            return ValueTask.FromResult<TimeSpan?>(w > settings.MaxRetryAfter ? settings.MaxRetryAfter : w);
                        }
                    }

                    return ValueTask.FromResult<TimeSpan?>(null);
                },
            });
            pipeline.AddTimeout(settings.AttemptTimeout);
        });
        return builder;
    }

    /// <summary>GitLab sends RateLimit-Reset as a Unix epoch (docs.gitlab.com/ee/security/rate_limits.html).</summary>
    private static TimeSpan? RateLimitReset(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("RateLimit-Reset", out var values)
            && long.TryParse(values.FirstOrDefault(), out var epoch))
        {
            var wait = DateTimeOffset.FromUnixTimeSeconds(epoch) - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}

internal static partial class RetryLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Upstream}{Request}: {Reason}; retrying in {Delay:0.0} s (retry {Attempt} of {Attempts})")]
    public static partial void Retrying(ILogger logger, string upstream, string request, string reason, double delay, int attempt, int attempts);
}
