using Nautilus.Tests.Support;

namespace Nautilus.Tests;

/// <summary>
/// The CLI has one composition root (docs/design.md §1): configuration is built and a service provider made in
/// CliHost only, once per invocation; commands resolve clients from it through CliContext instead of composing their own.
/// </summary>
public sealed class CompositionRootTests
{
    [Theory]
    [InlineData("BuildServiceProvider(")]
    [InlineData("NautilusConfiguration.Build(")]
    public void Cli_BuildsConfigurationAndServices_OnlyInCliHost(string call)
    {
        var sources = Directory.EnumerateFiles(Path.Combine(CliRunner.RepoRoot, "src", "Nautilus.Cli"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

        var uses = sources
            .SelectMany(f => File.ReadLines(f).Where(l => l.Contains(call, StringComparison.Ordinal)).Select(_ => Path.GetFileName(f)))
            .ToList();

        Assert.Equal(["CliHost.cs"], uses);
    }
}
