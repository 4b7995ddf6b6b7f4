namespace Nautilus.Core;

/// <summary>The CLI's exit codes (docs/design.md §10). The webhook service maps the same kinds to retry decisions.</summary>
public enum ExitCode
{
    Ok = 0,
    Unexpected = 1,
    Usage = 2,
    InvalidData = 3,
    UpstreamUnavailable = 4,
    AuthenticationFailed = 5,
    DeployFailed = 6,
    DriftDetected = 7,

    /// <summary>`iac generate --check`: the committed generated code no longer matches NetBox.</summary>
    GeneratedCodeStale = 8,
}

/// <summary>
/// The one expected-failure exception: it carries the exit code and a message that names the object,
/// the URL and what to do. Anything else that escapes is a bug (exit 1).
/// </summary>
public sealed class NautilusException : Exception
{
    public NautilusException(ExitCode code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
    }

    public ExitCode Code { get; }

    /// <summary>Seconds the upstream asked us to wait (429/503 Retry-After), when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Upstream validation problems (field → messages), collected so a user sees all of them at once.</summary>
    public IReadOnlyList<string> Details { get; init; } = [];

    /// <summary>
    /// The expected failure inside an exception chain: Refit 16 wraps what a handler throws in
    /// ApiRequestException, so the mapping of a handler's error must look through wrappers.
    /// </summary>
    public static NautilusException? Find(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NautilusException known)
            {
                return known;
            }

            if (e is AggregateException { InnerExceptions.Count: 1 } aggregate)
            {
                return Find(aggregate.InnerExceptions[0]);
            }
        }

        return null;
    }

    public static NautilusException Usage(string message) => new(ExitCode.Usage, message);

    public static NautilusException InvalidData(string message, IReadOnlyList<string>? details = null) =>
        new(ExitCode.InvalidData, message) { Details = details ?? [] };

    public static NautilusException Unavailable(string message, Exception? inner = null) =>
        new(ExitCode.UpstreamUnavailable, message, inner);

    public static NautilusException Auth(string message) => new(ExitCode.AuthenticationFailed, message);
}
