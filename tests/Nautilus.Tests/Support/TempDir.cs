namespace Nautilus.Tests.Support;

/// <summary>A scratch folder removed with the test.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nautilus-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    /// <summary>Every file under the folder by relative path (with '/'), with its bytes.</summary>
    public static SortedDictionary<string, byte[]> Snapshot(string folder, bool includeHidden = true) =>
        new(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => (Relative: System.IO.Path.GetRelativePath(folder, f).Replace('\\', '/'), Full: f))
            .Where(f => includeHidden || !f.Relative.Split('/').Any(p => p.StartsWith('.')))
            .ToDictionary(f => f.Relative, f => File.ReadAllBytes(f.Full)), StringComparer.Ordinal);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
