using System.Text.RegularExpressions;
using Nautilus.Testing;
using Nautilus.Tests.Support;

namespace Nautilus.Tests;

/// <summary>The README's way to get the `nautilus` command: pack the CLI as a .NET tool, install it from that local package, run it.</summary>
public sealed partial class InstallTests
{
    [GeneratedRegex(@"^dotnet (pack|tool install) .*$", RegexOptions.Multiline)]
    private static partial Regex InstallLine();

    [Fact]
    [RealTool]
    public async Task ReadmeInstall_PackThenToolInstall_GivesAWorkingNautilusCommand()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(CliRunner.RepoRoot, "README.md"));
        var lines = InstallLine().Matches(readme).Select(m => m.Value.Split(" #")[0].Trim()).ToList();
        Assert.Equal(
            ["dotnet pack src/Nautilus.Cli -c Release -o packages", "dotnet tool install --global Nautilus.GitLab.Cli --add-source packages"],
            lines);

        using var dir = new TempDir();
        var packages = dir["packages"];
        var tools = dir["tools"];
        var environment = new Dictionary<string, string>
        {
            // A package cache of its own: a version already cached elsewhere would be installed instead of this pack.
            ["NUGET_PACKAGES"] = dir["nuget"],
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };

        // The README's two lines, with two differences a test needs: the pack reuses the build the tests run from
        // (--no-build: a second build would rewrite assemblies other tests have loaded), and the tool goes into a
        // folder of this test instead of the user's ~/.dotnet/tools (a machine without nuget.org is not a failure).
        var pack = await PublishedApp.RunAsync("dotnet", ["pack", "src/Nautilus.Cli", "-c", "Release", "-o", packages, "--no-build", "-nologo"],
            CliRunner.RepoRoot, TimeSpan.FromMinutes(5), environment);
        Assert.True(pack.Code == 0, pack.Output);
        var install = await PublishedApp.RunAsync("dotnet",
            ["tool", "install", "--tool-path", tools, "Nautilus.GitLab.Cli", "--add-source", packages, "--ignore-failed-sources"], dir.Path,
            TimeSpan.FromMinutes(5), environment);
        Assert.True(install.Code == 0, install.Output);

        var nautilus = Path.Combine(tools, "nautilus");
        var version = await PublishedApp.RunAsync(nautilus, ["--version"], dir.Path, TimeSpan.FromMinutes(2), environment);
        Assert.True(version.Code == 0, version.Output);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Output.Trim());

        var generate = await PublishedApp.RunAsync(nautilus, ["iac", "generate", "--wp", "dc1-refresh", "--source", CliRunner.Example, "--out", dir["out"]],
            dir.Path, TimeSpan.FromMinutes(2), environment);
        Assert.True(generate.Code == 0, generate.Output);
        Assert.True(File.Exists(dir["out/.nautilus/dc1-refresh/manifest.json"]), generate.Output);
        Assert.True(File.Exists(dir["out/terraform/dc1-refresh/database/main.tf"]), generate.Output);
    }
}
