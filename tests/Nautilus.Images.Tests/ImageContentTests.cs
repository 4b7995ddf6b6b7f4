using System.Text.Json;
using System.Text.RegularExpressions;
using Nautilus.Images.Tests.Support;
using Xunit.Abstractions;

namespace Nautilus.Images.Tests;

/// <summary>What both images are made of: their configuration, their history, their files and their size.</summary>
[Trait("Category", "Images")]
public sealed partial class ImageContentTests(ITestOutputHelper output)
{
    public static TheoryData<string> Targets => new() { "cli", "webhooks" };

    private static string Image(string target) => target == "cli" ? TestImages.Cli : TestImages.Webhooks;

    [Fact]
    public async Task CliImage_Config_NonRootWithoutEntrypointSoRunnersStartTheJobShell()
    {
        var config = (await TestImages.InspectAsync(TestImages.Cli)).GetProperty("config");

        await TestImages.UserAsync(TestImages.Cli);
        Assert.True(
            !config.TryGetProperty("Entrypoint", out var entrypoint) || entrypoint.ValueKind == JsonValueKind.Null || entrypoint.GetArrayLength() == 0,
            $"the cli image has an ENTRYPOINT ({entrypoint}); GitLab's Docker executor would pass the job's shell to it");
        var command = config.GetProperty("Cmd").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(["nautilus", "--help"], command);

        await using var container = await Container.FromAsync(TestImages.Cli);
        var run = await container.RunAsync(command);
        Assert.True(run.ExitCode == 0, $"the image's command exited with {run.ExitCode}:\n{run.Err}{run.Out}");
        Assert.Contains("pipeline", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebhooksImage_Config_NonRootServiceOnPort8080WithDataVolume()
    {
        var config = (await TestImages.InspectAsync(TestImages.Webhooks)).GetProperty("config");

        await TestImages.UserAsync(TestImages.Webhooks);
        Assert.Equal(["dotnet", "/app/nautilus-webhooks.dll"], config.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
        Assert.True(config.GetProperty("ExposedPorts").TryGetProperty("8080/tcp", out _), config.ToString());
        Assert.True(config.GetProperty("Volumes").TryGetProperty("/data", out _), config.ToString());
        var environment = config.GetProperty("Env").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("NAUTILUS_STORE=/data/nautilus-webhooks.db", environment);
        Assert.Contains("ASPNETCORE_HTTP_PORTS=8080", environment);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Image_HistoryAndConfig_HoldNoSecret(string target)
    {
        var oci = await TestImages.InspectAsync(Image(target));
        var texts = oci.GetProperty("history").EnumerateArray()
            .SelectMany(h => new[] { Text(h, "created_by"), Text(h, "comment") })
            .Concat(oci.GetProperty("config").GetProperty("Env").EnumerateArray().Select(e => e.GetString() ?? ""))
            .Concat(oci.GetProperty("config").TryGetProperty("Labels", out var labels) && labels.ValueKind == JsonValueKind.Object
                ? labels.EnumerateObject().Select(l => $"{l.Name}={l.Value}")
                : [])
            .Where(t => t.Length > 0)
            .ToList();

        Assert.NotEmpty(texts);
        Assert.All(texts, t => Assert.False(SecretLike().IsMatch(t), $"{target} image history or configuration holds what looks like a secret: {t}"));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Image_Files_HoldNoSourceOrBuildCredentials(string target)
    {
        await using var container = await Container.FromAsync(Image(target));
        var root = (await TestImages.BuildahAsync("mount", container.Name)).Trim();
        try
        {
            Assert.True(Directory.Exists(Path.Combine(root, "usr")), $"buildah mount gave {root}, which holds no root file system");
            Assert.False(Directory.Exists(Path.Combine(root, "src")), $"the {target} image holds the build's /src");
            Assert.False(Directory.Exists(Path.Combine(root, "root", ".nuget")), $"the {target} image holds the build's NuGet folder");
            var leaks = Directory.EnumerateFileSystemEntries(root, "*",
                new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint })
                .Where(p => Path.GetFileName(p).Equals("nuget.config", StringComparison.OrdinalIgnoreCase)
                    || Path.GetFileName(p) is ".git" or ".env" or ".netrc" or ".git-credentials" || p.EndsWith(".csproj", StringComparison.Ordinal))
                .Select(p => p[root.Length..])
                .ToList();
            Assert.True(leaks.Count == 0, $"the {target} image holds build inputs: {string.Join(", ", leaks)}");
        }
        finally
        {
            await TestImages.BuildahAsync("umount", container.Name);
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Image_Size_WithinItsBudget(string target)
    {
        // Decimal megabytes, as `docker images` prints sizes. The cli image's budget includes Ansible.
        var budget = target == "cli" ? 250 : 150;

        var megabytes = await TestImages.UnpackedSizeAsync(Image(target)) / 1e6;

        output.WriteLine($"{Image(target)}: {megabytes:F1} MB unpacked (budget {budget} MB)");
        Assert.True(megabytes <= budget, $"the {target} image is {megabytes:F1} MB, over its budget of {budget} MB");
    }

    private static string Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    // A variable or argument named like a credential with a value, a GitLab token, a URL with a password, a private key.
    [GeneratedRegex(@"(?i)\b[A-Z0-9_]*(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|CREDENTIALS?)[A-Z0-9_]*\s*[=:]\s*\S|glpat-|://[^/\s:@]+:[^/\s@]+@|-----BEGIN " +
        @"[A-Z ]*PRIVATE KEY")]
    private static partial Regex SecretLike();
}
