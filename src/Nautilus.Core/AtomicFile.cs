namespace Nautilus.Core;

/// <summary>Writes that never leave a half-written file: write beside the target, then rename over it.</summary>
public static class AtomicFile
{
    public static Task WriteAllTextAsync(string path, string contents, CancellationToken cancellationToken) =>
        ReplaceAsync(path, temp => File.WriteAllTextAsync(temp, contents, new System.Text.UTF8Encoding(false), cancellationToken));

    /// <summary>A file written by <paramref name="write"/> as a stream, replacing <paramref name="path"/> only once it is whole.</summary>
    public static Task WriteAsync(string path, Func<Stream, Task> write, CancellationToken cancellationToken) =>
        ReplaceAsync(path, async temp =>
        {
            await using var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16, useAsync: true);
            await write(file).ConfigureAwait(false);
            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
        });

    /// <summary>Puts a copy of <paramref name="source"/> at <paramref name="path"/>, never half-copied; the bytes are not read into memory.</summary>
    public static Task CopyAsync(string source, string path) =>
        ReplaceAsync(path, temp =>
        {
            File.Copy(source, temp, overwrite: true);
            return Task.CompletedTask;
        });

    private static async Task ReplaceAsync(string path, Func<string, Task> writeTemp)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            await writeTemp(temp).ConfigureAwait(false);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
