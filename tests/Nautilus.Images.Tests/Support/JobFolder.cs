using System.Globalization;
using Nautilus.Testing;

namespace Nautilus.Images.Tests.Support;

/// <summary>
/// A host folder mounted into a container as a job's folder. World-writable, as GitLab Runner's Docker executor
/// leaves the checkout for images that run as non-root.
/// </summary>
public sealed class JobFolder : IDisposable
{
    public JobFolder()
    {
        Path = Directory.CreateTempSubdirectory("nautilus-image-job-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path, (UnixFileMode)0b111_111_111);
        }
    }

    public string Path { get; }

    /// <summary>Every file and folder below the job folder with the uid that owns it.</summary>
    public async Task<IReadOnlyList<(int Uid, string Path)>> OwnersAsync()
    {
        var find = await Tools.RunAsync("find", [Path, "-mindepth", "1", "-printf", "%U %p\\n"]);
        Assert.True(find.ExitCode == 0, find.Err);
        return find.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', 2))
            .Select(p => (int.Parse(p[0], CultureInfo.InvariantCulture), p[1]))
            .ToList();
    }

    /// <summary>The uid that owns a file on the host.</summary>
    public static async Task<int> OwnerAsync(string path)
    {
        var stat = await Tools.RunAsync("stat", ["-c", "%u", path]);
        Assert.True(stat.ExitCode == 0, stat.Err);
        return int.Parse(stat.Out.Trim(), CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
