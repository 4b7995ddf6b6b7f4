using Microsoft.Extensions.Configuration;

namespace Nautilus.Core.Configuration;

/// <summary>
/// The contract's environment variables (docs/design.md §9) and the configuration keys they map to, so
/// appsettings.json can set the same things: appsettings &lt; NAUTILUS_* variables &lt; command-line options.
/// </summary>
public static class NautilusConfiguration
{
    public static readonly IReadOnlyDictionary<string, string> Variables = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["NAUTILUS_NETBOX_URL"] = "Nautilus:NetBox:Url",
        ["NAUTILUS_NETBOX_TOKEN"] = "Nautilus:NetBox:Token",
        ["NAUTILUS_NETBOX_BRANCHING"] = "Nautilus:NetBox:Branching",
        ["NAUTILUS_NETBOX_BRANCH_ON_CLOSE"] = "Nautilus:NetBox:BranchOnClose",
        ["NAUTILUS_GITLAB_URL"] = "Nautilus:GitLab:Url",
        ["NAUTILUS_GITLAB_TOKEN"] = "Nautilus:GitLab:Token",
        ["NAUTILUS_WEBHOOK_SECRET"] = "Nautilus:Webhooks:Secret",
        ["NAUTILUS_WEBHOOK_SIGNING_TOKEN"] = "Nautilus:Webhooks:SigningToken",
        ["NAUTILUS_ADMIN_TOKEN"] = "Nautilus:Webhooks:AdminToken",
        ["NAUTILUS_STORE"] = "Nautilus:Webhooks:Store",
        ["NAUTILUS_SYNC_ON"] = "Nautilus:Webhooks:SyncOn",
        ["NAUTILUS_BRANCH_PREFIX"] = "Nautilus:BranchPrefix",
        ["NAUTILUS_TF_BIN"] = "Nautilus:Terraform:Binary",
        ["VAULT_ADDR"] = "Nautilus:Vault:Address",
        ["VAULT_TOKEN"] = "Nautilus:Vault:Token",
        ["VAULT_ROLE_ID"] = "Nautilus:Vault:RoleId",
        ["VAULT_SECRET_ID"] = "Nautilus:Vault:SecretId",
        ["VAULT_ID_TOKEN"] = "Nautilus:Vault:IdToken",
        ["VAULT_AUTH_ROLE"] = "Nautilus:Vault:AuthRole",
        ["VAULT_AUTH_PATH"] = "Nautilus:Vault:AuthPath",
        ["VAULT_NAMESPACE"] = "Nautilus:Vault:Namespace",
        ["VAULT_CACERT"] = "Nautilus:Vault:CaCert",
        ["NAUTILUS_VAULT_MOUNT"] = "Nautilus:Vault:Mount",
    };

    /// <summary>
    /// The set <see cref="Variables"/> of <paramref name="environment"/> under their configuration keys: the one place the
    /// map is applied, by the CLI (<see cref="Build"/>) and the webhook service alike. An empty variable counts as unset.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> FromEnvironment(IEnvironment environment)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (variable, key) in Variables)
        {
            if (environment.Variable(variable) is { Length: > 0 } value)
            {
                values[key] = value;
            }
        }

        return values;
    }

    /// <summary>Adds the contract's variables (<see cref="FromEnvironment"/>) as a configuration source.</summary>
    public static IConfigurationBuilder AddNautilusVariables(this IConfigurationBuilder builder, IEnvironment environment) =>
        builder.AddInMemoryCollection(FromEnvironment(environment));

    /// <summary>Builds configuration from appsettings files, then the contract's variables, then explicit overrides (options).</summary>
    public static IConfigurationRoot Build(
        IEnvironment environment,
        IEnumerable<KeyValuePair<string, string?>>? overrides = null,
        string? baseDirectory = null)
    {
        var builder = new ConfigurationBuilder();
        foreach (var dir in new[] { AppContext.BaseDirectory, baseDirectory ?? environment.CurrentDirectory }.Distinct())
        {
            builder.AddJsonFile(Path.Combine(dir, "appsettings.json"), optional: true, reloadOnChange: false);
        }

        builder.AddNautilusVariables(environment);
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides.Where(kv => kv.Value is not null));
        }

        return builder.Build();
    }
}

/// <summary>The process environment, a seam so tests run commands in-process with their own variables.</summary>
public interface IEnvironment
{
    string? Variable(string name);

    string CurrentDirectory { get; }
}

public sealed class ProcessEnvironment : IEnvironment
{
    public static ProcessEnvironment Instance { get; } = new();

    public string? Variable(string name) => Environment.GetEnvironmentVariable(name);

    public string CurrentDirectory => Environment.CurrentDirectory;
}

public sealed class DictionaryEnvironment(IReadOnlyDictionary<string, string> variables, string? currentDirectory = null) : IEnvironment
{
    public string? Variable(string name) => variables.TryGetValue(name, out var value) ? value : null;

    public string CurrentDirectory => currentDirectory ?? Environment.CurrentDirectory;
}
