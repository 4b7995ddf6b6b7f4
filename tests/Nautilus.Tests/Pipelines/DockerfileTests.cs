using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Nautilus.Testing;
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

    [Fact]
    public async Task Dockerfile_WebhooksPublishedAsInTheImage_ServesHealthAndReadiness()
    {
        var published = await PublishedApp.WebhooksAsync();
        using var netBox = new NetBoxFake();
        using var dir = new TempDirectory();
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        // The image's ENTRYPOINT (dotnet /app/nautilus-webhooks.dll) with its NAUTILUS_STORE on the data volume.
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = published, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(published, "nautilus-webhooks.dll"));
        start.Environment["NAUTILUS_STORE"] = dir.File("nautilus-webhooks.db");
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["NAUTILUS_WEBHOOK_SECRET"] = "image-test-secret";
        start.Environment["NAUTILUS_NETBOX_URL"] = netBox.Url;
        start.Environment["NAUTILUS_NETBOX_TOKEN"] = "0123456789abcdef0123456789abcdef01234567";
        using var process = Process.Start(start)!;
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            HttpStatusCode? ready = null;
            for (var attempt = 0; attempt < 600 && ready != HttpStatusCode.OK && !process.HasExited; attempt++)
            {
                try
                {
                    using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
                    ready = response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100);
                }
            }

            Assert.True(ready == HttpStatusCode.OK, $"the published service never answered /readyz with 200:\n{log}");
            using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.True(File.Exists(dir.File("nautilus-webhooks.db")), "the store was not created at NAUTILUS_STORE");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }
}
