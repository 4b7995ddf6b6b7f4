using Xunit.Abstractions;
using Xunit.Sdk;

namespace Nautilus.Testing;

/// <summary>
/// Marks a test that runs something tests/run.sh installs or starts: the HCL parser, ansible, GitLab's CI schema
/// validator, gitlab-ci-local, PostgreSQL, or a published executable as a real process. It becomes the trait
/// Category=RealTool, which `tests/run.sh --fast` leaves out for a quick inner loop; the full run keeps it.
/// </summary>
[TraitDiscoverer("Nautilus.Testing.RealToolDiscoverer", "Nautilus.Testing")]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class RealToolAttribute : Attribute, ITraitAttribute
{
    public const string Category = "RealTool";
}

public sealed class RealToolDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute)
    {
        yield return new KeyValuePair<string, string>("Category", RealToolAttribute.Category);
    }
}
