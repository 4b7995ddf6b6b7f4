using System.Text.Json;
using Nautilus.Testing;

namespace Nautilus.Images.Tests.Support;

/// <summary>
/// The images tests/images/build.sh leaves in buildah's local storage. tests/run.sh runs that script first and
/// exports what it prints: the image names, and the STORAGE_DRIVER and BUILDAH_ISOLATION buildah reads.
/// </summary>
public static class TestImages
{
    public static string Cli => Name("NAUTILUS_TEST_IMAGE_CLI");

    public static string Webhooks => Name("NAUTILUS_TEST_IMAGE_WEBHOOKS");

    public static string RepoRoot { get; } = FindRepoRoot();

    public static async Task<string> BuildahAsync(params string[] args)
    {
        var run = await RunAsync(args);
        Assert.True(run.ExitCode == 0, $"buildah {string.Join(' ', args)} exited with {run.ExitCode}:\n{run.Err}{run.Out}");
        return run.Out;
    }

    /// <summary>
    /// buildah with a stdin of its own: `buildah run` leaves its stdin non-blocking, and an inherited stdin is the
    /// test run's, shared with every process of the run (Ansible then refuses to start).
    /// </summary>
    public static Task<Tools.Run> RunAsync(IEnumerable<string> args) => Tools.RunAsync("buildah", args, stdin: "");

    /// <summary>The image's OCI configuration and history, as `buildah inspect` reports them.</summary>
    public static async Task<JsonElement> InspectAsync(string image)
    {
        using var document = JsonDocument.Parse(await BuildahAsync("inspect", "--type", "image", image));
        return document.RootElement.GetProperty("OCIv1").Clone();
    }

    /// <summary>
    /// The image unpacked, in bytes (`du -sb` of its root: files by their length, hard links once). `docker images`
    /// reports about this; `buildah images` counts the layers' tar streams, a few MB more.
    /// </summary>
    public static async Task<long> UnpackedSizeAsync(string image)
    {
        await using var container = await Container.FromAsync(image);
        var root = (await BuildahAsync("mount", container.Name)).Trim();
        try
        {
            var du = await Tools.RunAsync("du", ["-sb", root]);
            Assert.True(du.ExitCode == 0, $"du -sb {root}: {du.Err}");
            return long.Parse(du.Out.Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            await BuildahAsync("umount", container.Name);
        }
    }

    /// <summary>The numeric user the image runs as (its USER), which must not be root.</summary>
    public static async Task<int> UserAsync(string image)
    {
        var user = (await InspectAsync(image)).GetProperty("config").GetProperty("User").GetString() ?? "";
        Assert.True(int.TryParse(user.Split(':')[0], out var uid),
            $"{image} runs as user '{user}'; its USER should be a numeric uid, so that runners enforcing non-root can check it.");
        Assert.True(uid != 0, $"{image} runs as root.");
        return uid;
    }

    private static string Name(string variable)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } image)
        {
            return image;
        }

        // tests/run.sh names the build's log even when the build failed, so the reason reaches every image test.
        var log = Environment.GetEnvironmentVariable("NAUTILUS_TEST_IMAGES_LOG");
        throw new InvalidOperationException(log is { Length: > 0 } && File.Exists(log)
            ? $"The images were not built: tests/images/build.sh failed. The end of {log}:\n{string.Join('\n', File.ReadLines(log).TakeLast(25))}"
            : $"{variable} is not set. tests/images/build.sh builds the images and prints it; run the suite with tests/run.sh, which runs that script first.");
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Nautilus.GitLab.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Nautilus.GitLab.sln not found above " + AppContext.BaseDirectory);
    }
}
