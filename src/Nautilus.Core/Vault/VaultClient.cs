using System.Globalization;
using System.Net;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Nautilus.Core.Secrets;
using Refit;

namespace Nautilus.Core.Vault;

/// <summary>
/// A Vault session: logs in (JWT, AppRole) or adopts VAULT_TOKEN (checked with lookup-self), renews the
/// token at two thirds of its TTL as Vault Agent does, logs in again when renewal is refused or the max TTL
/// is reached, and reads KV v2 secrets. Every credential it sees is registered with the redactor first.
/// </summary>
public sealed class VaultClient
{
    /// <summary>Exception.Data key holding the HTTP status Vault answered, so a read can tell "denied" from "missing".</summary>
    internal const string StatusKey = "vault.status";

    private readonly IVaultApi _api;
    private readonly VaultOptions _options;
    private readonly SecretRedactor _redactor;
    private readonly TimeProvider _time;
    private readonly ILogger<VaultClient> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private VaultLease? _lease;

    public VaultClient(IVaultApi api, VaultOptions options, SecretRedactor redactor, TimeProvider time, ILogger<VaultClient> logger)
    {
        _api = api;
        _options = options;
        _redactor = redactor;
        _time = time;
        _logger = logger;
        redactor.Register(options.Token);
        redactor.Register(options.IdToken);
        redactor.Register(options.SecretId);
        redactor.Register(options.RoleId);
    }

    public VaultOptions Options => _options;

    /// <summary>The current token's lease; null before the first login.</summary>
    public VaultLease? Lease => _lease;

    /// <summary>A valid token: logs in on first use, renews (or logs in again) once the lease is due.</summary>
    public async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _lease = await CurrentAsync(cancellationToken).ConfigureAwait(false);
            return _lease.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// For the service's renewal loop: makes sure there is a token and renews it when due; returns when the
    /// next renewal is due (null: the token never expires or cannot be renewed, nothing to schedule).
    /// </summary>
    public async Task<DateTimeOffset?> RenewIfDueAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _lease = await CurrentAsync(cancellationToken).ConfigureAwait(false);
            return _lease.RenewAt;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The latest version of a KV v2 secret under the configured mount, every value as a string; null when no
    /// secret is written there. A 403 on a token we obtained by login is retried once after a fresh login
    /// (the token may have been revoked).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var token = await TokenAsync(cancellationToken).ConfigureAwait(false);
        IApiResponse<VaultResponse<VaultKvData>> response;
        try
        {
            response = await CallKv(_api.ReadKvAsync(_options.Mount, path, token, cancellationToken)).ConfigureAwait(false);
        }
        catch (NautilusException ex) when (_options.CanLogIn && ex.Data[StatusKey] is 403)
        {
            _logger.LogInformation("Vault denied {Path} to the current token; logging in again once in case it was revoked", path);
            await ForgetAsync(token, cancellationToken).ConfigureAwait(false);
            token = await TokenAsync(cancellationToken).ConfigureAwait(false);
            response = await CallKv(_api.ReadKvAsync(_options.Mount, path, token, cancellationToken)).ConfigureAwait(false);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound || response.Content is null)
            {
                _logger.LogDebug("Vault has no secret at {Mount}/data/{Path}", _options.Mount, path);
                return null;
            }

            var content = response.Content;
            LogWarnings(content.Warnings);
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in content.Data?.Data ?? new Dictionary<string, JsonElement>())
            {
                var text = value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString() ?? "",
                    JsonValueKind.Null => "",
                    _ => value.GetRawText(),
                };
                RegisterValue(text);
                values[key] = text;
            }

            _logger.LogDebug("Read {Mount}/data/{Path} version {Version} from Vault", _options.Mount, path, content.Data?.Metadata?.Version);
            return values;
        }
    }

    /// <summary>With an IApiResponse, Refit hands back what the error handler threw as the response's Error.</summary>
    private static async Task<IApiResponse<T>> CallKv<T>(Task<IApiResponse<T>> call)
    {
        var response = await Call(call).ConfigureAwait(false);
        if (response.Error is { InnerException: NautilusException or OperationCanceledException } error)
        {
            response.Dispose();
            ExceptionDispatchInfo.Capture(error.InnerException!).Throw();
        }

        return response;
    }

    /// <summary>Refit 16 wraps what a handler throws in ApiRequestException; the mapped NautilusException is what callers expect.</summary>
    private static async Task<T> Call<T>(Task<T> call)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (ApiRequestException ex) when (ex.InnerException is NautilusException or OperationCanceledException)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }

    private void RegisterValue(string text)
    {
        _redactor.Register(text);

        // The webhook secret lists several accepted values, comma-separated (rotation).
        if (text.Contains(',', StringComparison.Ordinal))
        {
            foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                _redactor.Register(part);
            }
        }
    }

    private async Task ForgetAsync(string token, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_lease?.Token == token)
            {
                _lease = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<VaultLease> CurrentAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_lease is null)
        {
            return await AcquireAsync(cancellationToken).ConfigureAwait(false);
        }

        if (!_lease.IsDue(now))
        {
            return _lease;
        }

        if (_lease.Renewable && !(_lease.Capped && _options.CanLogIn))
        {
            try
            {
                return await RenewAsync(_lease, cancellationToken).ConfigureAwait(false);
            }
            catch (NautilusException ex) when (ex.Code == ExitCode.AuthenticationFailed && _options.CanLogIn)
            {
                _logger.LogWarning("Vault refused to renew the token ({Reason}); logging in again", ex.Message);
                return await AcquireAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (NautilusException ex) when (ex.Code == ExitCode.UpstreamUnavailable && !_lease.IsExpired(now))
            {
                // Keep working with a still-valid token; try again halfway to its expiry.
                var retryAt = now + ((_lease.ExpiresAt!.Value - now) / 2);
                _logger.LogWarning("Could not renew the Vault token ({Reason}); it is valid until {Expiry:O}, retrying at {RetryAt:O}", ex.Message,
                    _lease.ExpiresAt, retryAt);
                return _lease with { RenewAt = retryAt };
            }
        }

        if (_options.CanLogIn)
        {
            return await AcquireAsync(cancellationToken).ConfigureAwait(false);
        }

        // A given, non-renewable (or capped) token: nothing to do but use it until it expires.
        _logger.LogWarning("VAULT_TOKEN cannot be renewed further and expires at {Expiry:O}; set a fresh token before then", _lease.ExpiresAt);
        return _lease with { RenewAt = null };
    }

    private async Task<VaultLease> AcquireAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        VaultLease lease;
        switch (_options.Method)
        {
            case VaultAuthMethod.Jwt:
            {
                var response = await Call(_api.LoginJwtAsync(_options.AuthMount, new VaultJwtLogin(_options.IdToken!, _options.Role), cancellationToken))
                    .ConfigureAwait(false);
                lease = FromAuth(response, now, requested: null);
                break;
            }

            case VaultAuthMethod.AppRole:
            {
                var response = await Call(_api.LoginAppRoleAsync(_options.AuthMount, new VaultAppRoleLogin(_options.RoleId!, _options.SecretId!),
                    cancellationToken)).ConfigureAwait(false);
                lease = FromAuth(response, now, requested: null);
                break;
            }

            default:
            {
                var response = await Call(_api.LookupSelfAsync(_options.Token!, cancellationToken)).ConfigureAwait(false);
                LogWarnings(response.Warnings);
                var info = response.Data ?? new VaultTokenInfo();
                lease = VaultLease.Create(_options.Token!, now, TimeSpan.FromSeconds(info.Ttl), info.Renewable, TimeSpan.FromSeconds(info.Ttl));
                _logger.LogDebug(
                    "Using VAULT_TOKEN ({DisplayName}, policies {Policies}); {Expiry}",
                    info.DisplayName, string.Join(",", info.Policies), Describe(lease));
                return lease;
            }
        }

        _logger.LogDebug("Logged in to Vault ({Login}); {Expiry}", _options.DescribeLogin, Describe(lease));
        return lease;
    }

    private async Task<VaultLease> RenewAsync(VaultLease lease, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var increment = string.Create(CultureInfo.InvariantCulture, $"{(long)lease.Requested.TotalSeconds}s");
        var response = await Call(_api.RenewSelfAsync(lease.Token, new VaultRenew(increment), cancellationToken)).ConfigureAwait(false);
        var renewed = FromAuth(response, now, lease.Requested);
        _logger.LogInformation("Renewed the Vault token; {Expiry}", Describe(renewed));
        return renewed;
    }

    private VaultLease FromAuth(VaultResponse<VaultEmpty> response, DateTimeOffset now, TimeSpan? requested)
    {
        LogWarnings(response.Warnings);
        var auth = response.Auth
            ?? throw NautilusException.Auth($"Vault answered the {_options.DescribeLogin} without a token (no auth block). Check that VAULT_ADDR points at " +
                $"Vault's API, not a proxy page.");
        _redactor.Register(auth.ClientToken);
        var ttl = TimeSpan.FromSeconds(auth.LeaseDuration);
        return VaultLease.Create(auth.ClientToken, now, ttl, auth.Renewable, requested ?? ttl);
    }

    private string Describe(VaultLease lease) => lease.ExpiresAt is { } expiry
        ? $"token valid until {expiry:O} (TTL {lease.Ttl}), {(lease.Renewable ? "renewable" : "not renewable")}"
        : "token without expiry";

    private void LogWarnings(IReadOnlyList<string>? warnings)
    {
        foreach (var warning in warnings ?? [])
        {
            _logger.LogWarning("Vault: {Warning}", warning);
        }
    }
}

/// <summary>A Vault token and its lease. <see cref="ToString"/> never shows the token.</summary>
public sealed record VaultLease
{
    public required string Token { get; init; }
    public required DateTimeOffset ObtainedAt { get; init; }

    /// <summary>Zero for a token without expiry.</summary>
    public required TimeSpan Ttl { get; init; }
    public required bool Renewable { get; init; }

    /// <summary>The TTL asked for at renewal: the first lease's.</summary>
    public required TimeSpan Requested { get; init; }

    /// <summary>Vault granted less than asked: the max TTL is near, renewing further buys little.</summary>
    public bool Capped => Ttl < Requested;

    public DateTimeOffset? ExpiresAt => Ttl > TimeSpan.Zero ? ObtainedAt + Ttl : null;

    /// <summary>When to renew: two thirds into the lease (Vault Agent's choice), null when never.</summary>
    public DateTimeOffset? RenewAt { get; init; }

    public bool IsDue(DateTimeOffset now) => RenewAt is { } at && now >= at;

    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } at && now >= at;

    public static VaultLease Create(string token, DateTimeOffset now, TimeSpan ttl, bool renewable, TimeSpan requested) => new()
    {
        Token = token,
        ObtainedAt = now,
        Ttl = ttl,
        Renewable = renewable,
        Requested = requested,
        RenewAt = ttl > TimeSpan.Zero ? now + (ttl * 2 / 3) : null,
    };

    public override string ToString() => $"Vault token lease (TTL {Ttl}, renewable {Renewable}, obtained {ObtainedAt:O})";
}
