using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Nautilus.Core.Configuration;
using Nautilus.Testing;

namespace Nautilus.Webhooks.Tests;

/// <summary>
/// docs/design.md §9's variable table and the one map both executables apply (NautilusConfiguration) cannot drift
/// apart: every documented variable maps, every mapped variable is documented, and each reaches the same key in the
/// CLI's configuration and the service's.
/// </summary>
public sealed partial class DocumentedVariablesTests
{
    [Fact]
    public void DesignTable_AndTheMap_NameTheSameVariables()
    {
        var documented = DocumentedVariables();

        Assert.Contains("NAUTILUS_NETBOX_URL", documented);
        Assert.Empty(documented.Except(NautilusConfiguration.Variables.Keys));
        Assert.Empty(NautilusConfiguration.Variables.Keys.Except(documented));
    }

    [Fact]
    public void EveryDocumentedVariable_ReachesItsKey_InTheCliAndTheService()
    {
        var documented = DocumentedVariables();
        var values = documented.ToDictionary(v => v,
            v => v.EndsWith("_ADDR", StringComparison.Ordinal)
            || v.EndsWith("_URL", StringComparison.Ordinal) ? $"https://{v.ToLowerInvariant().Replace('_', '-')}.example.com" : "value-of-" + v);
        values["VAULT_CACERT"] = typeof(DocumentedVariablesTests).Assembly.Location; // checked to exist when the service composes Vault
        var environment = new DictionaryEnvironment(values, Path.GetTempPath());

        var cli = NautilusConfiguration.Build(environment, baseDirectory: Path.GetTempPath());
        var service = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] }).AddNautilusWebhooks([], environment).Configuration;

        foreach (var variable in documented)
        {
            var key = NautilusConfiguration.Variables[variable];
            Assert.Equal(values[variable], cli[key]);
            Assert.Equal(values[variable], service[key]);
        }
    }

    /// <summary>The backticked names in the first column of the table under "These variable names are a contract".</summary>
    private static HashSet<string> DocumentedVariables()
    {
        var design = File.ReadAllText(Path.Combine(Tools.RepoRoot, "docs", "design.md"));
        var start = design.IndexOf("These variable names are a contract", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/design.md §9 lost its variable table");
        var rows = design[start..].Split('\n').SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2);
        return rows
            .SelectMany(row => Name().Matches(row.Split('|')[1]).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex("`([A-Z][A-Z0-9_]+)`")]
    private static partial Regex Name();
}
