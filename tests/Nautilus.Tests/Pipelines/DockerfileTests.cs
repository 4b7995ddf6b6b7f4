using Nautilus.Tests.Support;

namespace Nautilus.Tests.Pipelines;

/// <summary>No Docker engine runs here: these tests run the Dockerfile's own publish lines and the published app.</summary>
public sealed class DockerfileTests
{
    [Fact]
    public void Dockerfile_Targets_CliAndWebhooksMultiStageNonRoot()
    {
        var dockerfile = File.ReadAllText(PublishedApp.DockerfilePath);

        Assert.Contains(" AS cli\n", dockerfile, StringComparison.Ordinal);
        Assert.Contains(" AS webhooks\n", dockerfile, StringComparison.Ordinal);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/runtime:10.0-noble AS cli", dockerfile, StringComparison.Ordinal);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled AS webhooks", dockerfile, StringComparison.Ordinal);
        Assert.Equal(2, dockerfile.Split("USER $APP_UID").Length - 1);
        Assert.Contains("ansible-core", dockerfile, StringComparison.Ordinal);
        Assert.Contains("COPY docker/nautilus /usr/local/bin/nautilus", dockerfile, StringComparison.Ordinal);
        Assert.Equal(
            ["dotnet restore src/Nautilus.Cli/Nautilus.Cli.csproj", "dotnet publish src/Nautilus.Cli/Nautilus.Cli.csproj --no-restore -c Release -p:UseAppHost=false -o /app"],
            PublishedApp.DockerfileCommands("Nautilus.Cli"));
        Assert.Contains("dotnet publish src/Nautilus.Webhooks/Nautilus.Webhooks.csproj --no-restore -c Release -p:UseAppHost=false -o /app", PublishedApp.DockerfileCommands("Nautilus.Webhooks"));
    }

    [Fact]
    public async Task Dockerfile_CliPublishedAsInTheImage_GeneratesTheChildPipeline()
    {
        var published = await PublishedApp.CliAsync();
        using var dir = new TempDirectory();
        var wrapper = Path.Combine(CliRunner.RepoRoot, "docker", "nautilus");
        var env = new Dictionary<string, string> { ["NAUTILUS_HOME"] = published };

        var help = await PublishedApp.RunAsync(wrapper, ["--help"], dir.Path, TimeSpan.FromMinutes(2), env);
        Assert.True(help.Code == 0, help.Output);
        Assert.Contains("pipeline", help.Output, StringComparison.Ordinal);

        var generate = await PublishedApp.RunAsync(
            wrapper,
            ["pipeline", "generate", "--wp", "dc1-refresh", "--source", CliRunner.Example, "--out", dir.File("child.yml")],
            dir.Path,
            TimeSpan.FromMinutes(2),
            env);
        Assert.True(generate.Code == 0, generate.Output);
        Assert.Contains("plan:network-foundation:", await File.ReadAllTextAsync(dir.File("child.yml")), StringComparison.Ordinal);

        // Built-in templates are embedded: the published app generates without the repository's templates/ folder.
        var iac = await PublishedApp.RunAsync(
            wrapper, ["iac", "generate", "--wp", "dc1-refresh", "--source", CliRunner.Example, "--out", dir.Path], dir.Path, TimeSpan.FromMinutes(2), env);
        Assert.True(iac.Code == 0, iac.Output);
        Assert.True(File.Exists(Path.Combine(dir.Path, "terraform", "dc1-refresh", "database", "main.tf")));
    }
}
