using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nautilus.Core.Vault;

/// <summary>
/// Vault's response envelope: every call answers {request_id, lease_id, renewable, lease_duration, data,
/// wrap_info, warnings, auth}; logins and renew-self fill <c>auth</c>, reads fill <c>data</c>.
/// </summary>
public sealed record VaultResponse<TData>
{
    public string? RequestId { get; init; }
    public string? LeaseId { get; init; }
    public bool Renewable { get; init; }
    public long LeaseDuration { get; init; }
    public TData? Data { get; init; }
    public IReadOnlyList<string>? Warnings { get; init; }
    public VaultAuth? Auth { get; init; }
}

/// <summary>A response whose <c>data</c> is null or unused.</summary>
public sealed record VaultEmpty;

/// <summary>The <c>auth</c> block of a login or renew-self (the token and its lease).</summary>
public sealed record VaultAuth
{
    public required string ClientToken { get; init; }
    public string? Accessor { get; init; }
    public IReadOnlyList<string> Policies { get; init; } = [];
    public IReadOnlyList<string> TokenPolicies { get; init; } = [];
    public IReadOnlyDictionary<string, string?>? Metadata { get; init; }

    /// <summary>Seconds the token lives from now; 0 for a token without expiry (root).</summary>
    public long LeaseDuration { get; init; }
    public bool Renewable { get; init; }
    public string? EntityId { get; init; }
    public string? TokenType { get; init; }
    public bool Orphan { get; init; }
}

/// <summary>The <c>data</c> of lookup-self.</summary>
public sealed record VaultTokenInfo
{
    public string? Accessor { get; init; }
    public string? DisplayName { get; init; }
    public DateTimeOffset? ExpireTime { get; init; }
    public long ExplicitMaxTtl { get; init; }
    public IReadOnlyList<string> Policies { get; init; } = [];
    public string? Path { get; init; }
    public bool Renewable { get; init; }

    /// <summary>Seconds left; 0 for a token without expiry.</summary>
    public long Ttl { get; init; }
    public string? Type { get; init; }
}

/// <summary>The <c>data</c> of a KV v2 read: the secret's keys and its version metadata.</summary>
public sealed record VaultKvData
{
    public IReadOnlyDictionary<string, JsonElement>? Data { get; init; }
    public VaultKvMetadata? Metadata { get; init; }
}

public sealed record VaultKvMetadata
{
    public DateTimeOffset? CreatedTime { get; init; }

    /// <summary>Empty unless the version was soft-deleted ("" in Vault's JSON, hence a string).</summary>
    public string? DeletionTime { get; init; }
    public bool Destroyed { get; init; }
    public int Version { get; init; }
}

public sealed record VaultJwtLogin(
    [property: JsonPropertyName("jwt")] string Jwt,
    [property: JsonPropertyName("role"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role);

public sealed record VaultAppRoleLogin(
    [property: JsonPropertyName("role_id")] string RoleId,
    [property: JsonPropertyName("secret_id")] string SecretId);

/// <summary>renew-self's body: the increment asked for, as a duration string ("3600s").</summary>
public sealed record VaultRenew([property: JsonPropertyName("increment")] string Increment);

internal static class VaultJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
