using System.Collections.Concurrent;
using System.Text;

namespace Nautilus.Core.Rendering;

/// <summary>
/// Where <see cref="IacGenerator"/> puts each file as soon as it is rendered, so a generation never holds every
/// file at once. Waves render in parallel: implementations take writes from several threads at a time (each
/// path is written once).
/// </summary>
public interface IGeneratedOutput
{
    /// <param name="path">Relative to the output root, with '/' ("terraform/dc1-refresh/database/main.tf").</param>
    void Write(string path, string content);

    /// <summary>A file written piece by piece (the inventory).</summary>
    void Write(string path, Action<TextWriter> write);

    /// <summary>A file written piece by piece as UTF-8 bytes (the manifest, serialized straight into it).</summary>
    void WriteUtf8(string path, Action<Stream> write);
}

/// <summary>Files written under a folder as they come, UTF-8 without a byte order mark (a staging folder, or any temporary folder).</summary>
public sealed class FolderOutput(string root) : IGeneratedOutput
{
    private static readonly UTF8Encoding Utf8 = new(false);

    public string Root { get; } = Path.GetFullPath(root);

    public void Write(string path, string content) => File.WriteAllText(Prepare(path), content, Utf8);

    public void Write(string path, Action<TextWriter> write)
    {
        using var writer = new StreamWriter(Prepare(path), append: false, Utf8, bufferSize: 1 << 16) { NewLine = "\n" };
        write(writer);
    }

    public void WriteUtf8(string path, Action<Stream> write)
    {
        using var file = new FileStream(Prepare(path), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        write(file);
    }

    private string Prepare(string path)
    {
        var full = Path.Combine(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return full;
    }
}

/// <summary>Files kept in memory, for callers that want the text rather than a folder.</summary>
public sealed class MemoryOutput : IGeneratedOutput
{
    private readonly ConcurrentDictionary<string, string> _files = new(StringComparer.Ordinal);

    /// <summary>Every file written so far, by path (ordinal).</summary>
    public IReadOnlyList<GeneratedFile> Files => _files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new GeneratedFile(f.Key, f.Value)).ToList();

    public void Write(string path, string content) => _files[path] = content;

    public void Write(string path, Action<TextWriter> write)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
        write(writer);
        _files[path] = writer.ToString();
    }

    public void WriteUtf8(string path, Action<Stream> write) => _files[path] = Utf8Text(write);

    /// <summary>The text a UTF-8 writer produces.</summary>
    internal static string Utf8Text(Action<Stream> write)
    {
        using var bytes = new MemoryStream();
        write(bytes);
        return Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length);
    }
}
