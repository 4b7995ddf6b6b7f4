using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace Nautilus.Testing;

/// <summary>
/// A Vault (or OpenBao) on WireMock: JWT and AppRole logins, tokens with TTLs and policies, lookup-self,
/// renew-self (capped at the token's max TTL), KV v2 reads with versions, namespaces, sealing, and the
/// error bodies Vault sends. Responses follow the JSON of developer.hashicorp.com/vault/api-docs for each
/// call (auth/jwt#jwt-login, auth/approle#login-with-approle, auth/token#lookup-a-token-self,
/// auth/token#renew-a-token-self, secret/kv/kv-v2#read-secret-version); see Fixtures/vault/SOURCES.md.
/// </summary>
public sealed class VaultFake : IDisposable
{
    private readonly WireMockServer _server;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FakeToken> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JwtRole> _jwtRoles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AppRole> _appRoles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (JsonObject Data, int Version, DateTimeOffset Created)> _secrets = new(StringComparer.Ordinal);
    private readonly List<(string PathContains, int Count, TaskCompletionSource<WireMock.Logging.ILogEntry> Seen)> _waiters = [];
    private readonly Lock _waitGate = new();
    private readonly TimeProvider _time;
    private int _tokenCounter;

    public VaultFake(TimeProvider? time = null, X509Certificate2? certificate = null)
    {
        _time = time ?? TimeProvider.System;
        _server = certificate is null
            ? WireMockServer.Start()
            : WireMockServer.Start(new WireMockServerSettings
            {
                UseSSL = true,
                CertificateSettings = new WireMockCertificateSettings { X509Certificate = certificate },
            });
        _server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher("^/v1/.*"))).RespondWith(Response.Create().WithCallback(Handle));
        _server.LogEntriesChanged += (_, _) => Signal();
    }

    public string Url => _server.Url!;

    /// <summary>The KV v2 mount (default secret).</summary>
    public string Mount { get; set; } = "secret";

    /// <summary>When set, every request must carry X-Vault-Namespace with this value (else Vault finds no route).</summary>
    public string? Namespace { get; set; }

    /// <summary>A sealed Vault answers 503 {"errors":["Vault is sealed"]} to everything.</summary>
    public bool Sealed { get; set; }

    public IReadOnlyList<WireMock.Logging.ILogEntry> Requests => _server.LogEntries.ToList();

    public IEnumerable<WireMock.Logging.ILogEntry> RequestsTo(string pathContains) =>
        _server.LogEntries.Where(e => e.RequestMessage.Path.Contains(pathContains, StringComparison.Ordinal));

    /// <summary>Completes when the <paramref name="count"/>th request whose path contains <paramref name="pathContains"/> has arrived.</summary>
    public Task<WireMock.Logging.ILogEntry> WaitForRequestAsync(string pathContains, int count = 1)
    {
        var seen = new TaskCompletionSource<WireMock.Logging.ILogEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waitGate)
        {
            _waiters.Add((pathContains, count, seen));
        }

        Signal();
        return seen.Task;
    }

    /// <summary>A token Vault knows (as from `vault token create`): its policies list the KV paths it may read.</summary>
    public VaultFake GivenToken(string token, TimeSpan ttl, bool renewable = true, TimeSpan? maxTtl = null, params string[] readablePaths)
    {
        lock (_gate)
        {
            _tokens[token] = new FakeToken(token, readablePaths, renewable, _time.GetUtcNow() + ttl, ttl,
                _time.GetUtcNow() + (maxTtl ?? TimeSpan.FromDays(32)), "token");
        }

        return this;
    }

    /// <summary>A JWT role at auth/jwt (or <paramref name="mount"/>): this id_token logs in, with tokens of this TTL.</summary>
    public VaultFake GivenJwtRole(string role, string jwt, TimeSpan ttl, TimeSpan? maxTtl = null, string mount = "jwt", params string[] readablePaths)
    {
        lock (_gate)
        {
            _jwtRoles[$"{mount}/{role}"] = new JwtRole(jwt, readablePaths, ttl, maxTtl ?? TimeSpan.FromDays(32));
        }

        return this;
    }

    /// <summary>An AppRole at auth/approle: this role_id and secret_id log in.</summary>
    public VaultFake GivenAppRole(string roleId, string secretId, TimeSpan ttl, TimeSpan? maxTtl = null, params string[] readablePaths)
    {
        lock (_gate)
        {
            _appRoles[roleId] = new AppRole(secretId, readablePaths, ttl, maxTtl ?? TimeSpan.FromDays(32));
        }

        return this;
    }

    /// <summary>Writes a KV v2 secret (a new version, like `vault kv put -mount=secret path k=v`).</summary>
    public VaultFake GivenSecret(string path, params (string Key, string Value)[] data)
    {
        var body = new JsonObject();
        foreach (var (key, value) in data)
        {
            body[key] = value;
        }

        lock (_gate)
        {
            var version = _secrets.TryGetValue(path, out var existing) ? existing.Version + 1 : 1;
            _secrets[path] = (body, version, _time.GetUtcNow());
        }

        return this;
    }

    /// <summary>docs/design.md §9's secrets at their documented paths and keys.</summary>
    public VaultFake GivenNautilusSecrets(string netBoxToken, string? gitLabToken = null, string? webhookSecret = null,
        (string User, string Password)? vsphere = null)
    {
        GivenSecret("nautilus/netbox_token", ("token", netBoxToken));
        if (gitLabToken is not null)
        {
            GivenSecret("nautilus/gitlab_token", ("token", gitLabToken));
        }

        if (webhookSecret is not null)
        {
            GivenSecret("nautilus/webhook_secret", ("token", webhookSecret));
        }

        if (vsphere is { } v)
        {
            GivenSecret("nautilus/vsphere_creds", ("user", v.User), ("password", v.Password));
        }

        return this;
    }

    /// <summary>Revokes a token, as `vault token revoke` does: it is then refused everywhere.</summary>
    public void Revoke(string token)
    {
        lock (_gate)
        {
            _tokens.Remove(token);
        }
    }

    /// <summary>Every token Vault handed out or was given, newest last.</summary>
    public IReadOnlyList<string> IssuedTokens
    {
        get
        {
            lock (_gate)
            {
                return _tokens.Keys.ToList();
            }
        }
    }

    public void Dispose() => _server.Stop();

    private ResponseMessage Handle(IRequestMessage request)
    {
        if (Sealed)
        {
            return Errors(503, "Vault is sealed");
        }

        var path = request.Path[3..]; // after /v1
        if (Namespace is not null
            && (!request.Headers!.TryGetValue("X-Vault-Namespace", out var ns) || ns.FirstOrDefault()?.Trim('/') != Namespace))
        {
            return Errors(404, $"no handler for route \"{path.TrimStart('/')}\". route entry not found.");
        }

        lock (_gate)
        {
            if (request.Method == "POST" && path.StartsWith("/auth/", StringComparison.Ordinal) && path.EndsWith("/login", StringComparison.Ordinal))
            {
                return Login(path["/auth/".Length..^"/login".Length], Body(request));
            }

            var token = request.Headers!.TryGetValue("X-Vault-Token", out var t) ? t.FirstOrDefault() : null;
            if (token is null || !_tokens.TryGetValue(token, out var known) || known.ExpiresAt <= _time.GetUtcNow())
            {
                // Vault answers an unknown, expired or revoked token with 403 and this body (not 401).
                return Errors(403, "permission denied");
            }

            return (request.Method, path) switch
            {
                ("GET", "/auth/token/lookup-self") => LookupSelf(known),
                ("POST", "/auth/token/renew-self") => RenewSelf(known, Body(request)),
                ("GET", var p) when p.StartsWith($"/{Mount}/data/", StringComparison.Ordinal) => Read(known, p[$"/{Mount}/data/".Length..]),
                _ => Errors(404, $"no handler for route \"{path.TrimStart('/')}\". route entry not found."),
            };
        }
    }

    private ResponseMessage Login(string mount, JsonObject body)
    {
        if (mount == "approle")
        {
            var roleId = (string?)body["role_id"] ?? "";
            if (!_appRoles.TryGetValue(roleId, out var appRole) || appRole.SecretId != (string?)body["secret_id"])
            {
                return Errors(400, "invalid role or secret ID");
            }

            return Issue("approle", appRole.ReadablePaths, appRole.Ttl, appRole.MaxTtl, new JsonObject { ["role_name"] = "nautilus" });
        }

        var role = (string?)body["role"] ?? "";
        if (!_jwtRoles.TryGetValue($"{mount}/{role}", out var jwtRole))
        {
            return Errors(400, $"role \"{role}\" could not be found");
        }

        if (jwtRole.Jwt != (string?)body["jwt"])
        {
            return Errors(400, "error validating token: invalid audience (aud) claim: audience claim does not match any expected audience");
        }

        return Issue(mount, jwtRole.ReadablePaths, jwtRole.Ttl, jwtRole.MaxTtl, new JsonObject { ["role"] = role });
    }

    private ResponseMessage Issue(string mount, string[] readablePaths, TimeSpan ttl, TimeSpan maxTtl, JsonObject metadata)
    {
        var id = Interlocked.Increment(ref _tokenCounter);
        var token = $"hvs.CAESI{id:D4}Fake{Guid.NewGuid():N}";
        var now = _time.GetUtcNow();
        _tokens[token] = new FakeToken(token, readablePaths, true, now + ttl, ttl, now + maxTtl, $"auth/{mount}/login");
        return Json(200, Envelope(null, Auth(_tokens[token], ttl, metadata)));
    }

    private ResponseMessage LookupSelf(FakeToken token)
    {
        var now = _time.GetUtcNow();
        var data = new JsonObject
        {
            ["accessor"] = "8609694a-cdbc-db9b-d345-e782dbb562ed",
            ["creation_time"] = now.ToUnixTimeSeconds(),
            ["creation_ttl"] = (long)token.Ttl.TotalSeconds,
            ["display_name"] = token.Path == "token" ? "token"
                : token.Path.Replace("auth/", "", StringComparison.Ordinal).Replace("/login", "", StringComparison.Ordinal),
            ["entity_id"] = "",
            // RFC 3339 with nanoseconds, as Go formats it.
            ["expire_time"] = token.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "15Z",
            ["explicit_max_ttl"] = 0,
            ["id"] = token.Token,
            ["identity_policies"] = new JsonArray(),
            ["issue_time"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "78Z",
            ["meta"] = null,
            ["num_uses"] = 0,
            ["orphan"] = true,
            ["path"] = token.Path == "token" ? "auth/token/create" : token.Path,
            ["policies"] = new JsonArray("default", "nautilus"),
            ["renewable"] = token.Renewable,
            ["ttl"] = (long)(token.ExpiresAt - now).TotalSeconds,
            ["type"] = "service",
        };
        return Json(200, Envelope(data, null));
    }

    private ResponseMessage RenewSelf(FakeToken token, JsonObject body)
    {
        if (!token.Renewable)
        {
            return Errors(400, "lease is not renewable");
        }

        var now = _time.GetUtcNow();
        var increment = ParseDuration((string?)body["increment"]) ?? token.Ttl;
        var warnings = new JsonArray();
        var granted = increment;
        if (now + increment > token.MaxExpiresAt)
        {
            granted = token.MaxExpiresAt - now;
            warnings.Add($"TTL of \"{(long)increment.TotalSeconds}s\" exceeded the effective max_ttl of \"{(long)granted.TotalSeconds}s\"; TTL value is " +
                $"capped accordingly");
        }

        var renewed = token with { ExpiresAt = now + granted };
        _tokens[token.Token] = renewed;
        var envelope = Envelope(null, Auth(renewed, granted, null));
        envelope["warnings"] = warnings.Count == 0 ? null : warnings;
        return Json(200, envelope);
    }

    private ResponseMessage Read(FakeToken token, string path)
    {
        if (!token.ReadablePaths.Any(p => p == path || (p.EndsWith('*') && path.StartsWith(p[..^1], StringComparison.Ordinal))))
        {
            // Vault's multierror formatting, verbatim.
            return Errors(403, "1 error occurred:\n\t* permission denied\n\n");
        }

        if (!_secrets.TryGetValue(path, out var secret))
        {
            return Errors(404);
        }

        var data = new JsonObject
        {
            ["data"] = secret.Data.DeepClone(),
            ["metadata"] = new JsonObject
            {
                ["created_time"] = secret.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "14Z",
                ["custom_metadata"] = null,
                ["deletion_time"] = "",
                ["destroyed"] = false,
                ["version"] = secret.Version,
            },
        };
        return Json(200, Envelope(data, null));
    }

    private static JsonObject Auth(FakeToken token, TimeSpan leaseDuration, JsonObject? metadata) => new()
    {
        ["client_token"] = token.Token,
        ["accessor"] = "0e9e354a-520f-df04-6867-ee81cae3d42d",
        ["policies"] = new JsonArray("default", "nautilus"),
        ["token_policies"] = new JsonArray("default", "nautilus"),
        ["metadata"] = metadata,
        ["lease_duration"] = (long)leaseDuration.TotalSeconds,
        ["renewable"] = token.Renewable,
        ["entity_id"] = "fb6b5b22-4c9d-6a6b-5fe1-a0e0f2d47e0c",
        ["token_type"] = "service",
        ["orphan"] = true,
        ["mfa_requirement"] = null,
        ["num_uses"] = 0,
    };

    private static JsonObject Envelope(JsonObject? data, JsonObject? auth) => new()
    {
        ["request_id"] = Guid.NewGuid().ToString(),
        ["lease_id"] = "",
        ["renewable"] = false,
        ["lease_duration"] = 0,
        ["data"] = data,
        ["wrap_info"] = null,
        ["warnings"] = null,
        ["auth"] = auth,
        ["mount_type"] = "",
    };

    private static TimeSpan? ParseDuration(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var digits = text.TrimEnd('s', 'm', 'h');
        var value = long.Parse(digits, CultureInfo.InvariantCulture);
        return text[^1] switch
        {
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            _ => TimeSpan.FromSeconds(value),
        };
    }

    private static JsonObject Body(IRequestMessage request) =>
        string.IsNullOrEmpty(request.Body) ? [] : JsonNode.Parse(request.Body)!.AsObject();

    private static ResponseMessage Errors(int status, params string[] errors) =>
        Json(status, new JsonObject { ["errors"] = new JsonArray(errors.Select(e => (JsonNode?)e).ToArray()) });

    private static ResponseMessage Json(int status, JsonNode body)
    {
        var response = new ResponseMessage
        {
            StatusCode = status,
            BodyData = new BodyData { BodyAsString = body.ToJsonString(new JsonSerializerOptions { WriteIndented = false }),
                DetectedBodyType = BodyType.String },
        };
        response.AddHeader("Content-Type", "application/json");
        response.AddHeader("Cache-Control", "no-store");
        return response;
    }

    /// <summary>Completes the waiters whose request has arrived; under one lock, so no arrival is missed between check and wait.</summary>
    private void Signal()
    {
        lock (_waitGate)
        {
            var entries = _server.LogEntries.ToList();
            _waiters.RemoveAll(waiter =>
            {
                var match = entries.Where(e => e.RequestMessage.Path.Contains(waiter.PathContains, StringComparison.Ordinal)).Skip(waiter.Count - 1)
                    .FirstOrDefault();
                return match is not null && waiter.Seen.TrySetResult(match);
            });
        }
    }

    private sealed record FakeToken(string Token, string[] ReadablePaths, bool Renewable, DateTimeOffset ExpiresAt, TimeSpan Ttl, DateTimeOffset MaxExpiresAt,
        string Path);

    private sealed record JwtRole(string Jwt, string[] ReadablePaths, TimeSpan Ttl, TimeSpan MaxTtl);

    private sealed record AppRole(string SecretId, string[] ReadablePaths, TimeSpan Ttl, TimeSpan MaxTtl);
}
