using System.Text;

namespace Nautilus.Core.Rendering;

/// <summary>
/// Puts a generation on disk so that a failed run leaves the previous output untouched: everything is written
/// into a staging folder under OUT/.nautilus first, then each folder the work package owns is swapped in by
/// rename (same file system), the previous one moved aside and restored if a later swap fails. The manifest
/// is replaced last, atomically, so it never describes code that is not there.
/// </summary>
public static class OutputWriter
{
    private static readonly UTF8Encoding Utf8 = new(false);

    /// <summary>Files Terraform keeps beside a root module (`terraform init`) that survive regeneration.</summary>
    private static readonly string[] Kept = [".terraform", ".terraform.lock.hcl"];

    /// <returns>False when the output was already identical (nothing is touched then).</returns>
    public static async Task<bool> WriteAsync(string outDirectory, GenerationResult result, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(outDirectory);
        if (IsUpToDate(root, result))
        {
            return false;
        }

        var work = Path.Combine(root, ".nautilus");
        Directory.CreateDirectory(work);
        var token = $"{result.WorkPackage}.{Environment.ProcessId}.{Guid.NewGuid():N}";
        var staging = Path.Combine(work, ".staging." + token);
        var aside = Path.Combine(work, ".previous." + token);
        var swapped = new List<(string Target, string? Previous)>();
        try
        {
            foreach (var file in result.Files.Where(f => f.Path != result.ManifestPath))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var path = Path.Combine(staging, file.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, file.Content, Utf8, cancellationToken).ConfigureAwait(false);
            }

            foreach (var folder in result.OwnedFolders)
            {
                var staged = Path.Combine(staging, folder);
                Directory.CreateDirectory(staged);
                var target = Path.Combine(root, folder);
                CarryTerraformState(target, staged);
            }

            cancellationToken.ThrowIfCancellationRequested();
            foreach (var folder in result.OwnedFolders)
            {
                var target = Path.Combine(root, folder);
                string? previous = null;
                if (Directory.Exists(target))
                {
                    previous = Path.Combine(aside, folder);
                    Directory.CreateDirectory(Path.GetDirectoryName(previous)!);
                    Directory.Move(target, previous);
                }

                swapped.Add((target, previous));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                Directory.Move(Path.Combine(staging, folder), target);
            }

            await AtomicFile.WriteAllTextAsync(Path.Combine(root, result.ManifestPath), result.Files.Single(f => f.Path == result.ManifestPath).Content, CancellationToken.None).ConfigureAwait(false);
            swapped.Clear();
            return true;
        }
        finally
        {
            // Roll back in reverse order when a swap or the manifest failed, so the previous generation is whole again.
            for (var i = swapped.Count - 1; i >= 0; i--)
            {
                var (target, previous) = swapped[i];
                if (Directory.Exists(target))
                {
                    Directory.Delete(target, recursive: true);
                }

                if (previous is not null && Directory.Exists(previous))
                {
                    Directory.Move(previous, target);
                }
            }

            TryDelete(staging);
            TryDelete(aside);
        }
    }

    /// <summary>True when every owned file exists with the same bytes and there is no other file (ignoring Terraform's own).</summary>
    private static bool IsUpToDate(string root, GenerationResult result)
    {
        var expected = result.Files.ToDictionary(f => f.Path, f => f.Content, StringComparer.Ordinal);
        foreach (var folder in result.OwnedFolders)
        {
            var dir = Path.Combine(root, folder);
            if (!Directory.Exists(dir))
            {
                return false;
            }

            foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (relative.Split('/').Any(part => Kept.Contains(part)))
                {
                    continue;
                }

                if (!expected.ContainsKey(relative))
                {
                    return false;
                }
            }
        }

        foreach (var (path, content) in expected)
        {
            var full = Path.Combine(root, path);
            if (!File.Exists(full) || !File.ReadAllBytes(full).AsSpan().SequenceEqual(Utf8.GetBytes(content)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Moves `terraform init` leftovers of waves that still exist into the staged folder (the lock file is meant to be committed, so it is copied).</summary>
    private static void CarryTerraformState(string target, string staged)
    {
        if (!Directory.Exists(target))
        {
            return;
        }

        foreach (var waveDir in Directory.EnumerateDirectories(target))
        {
            var stagedWave = Path.Combine(staged, Path.GetFileName(waveDir));
            if (!Directory.Exists(stagedWave))
            {
                continue;
            }

            foreach (var name in Kept)
            {
                var from = Path.Combine(waveDir, name);
                var to = Path.Combine(stagedWave, name);
                if (File.Exists(from))
                {
                    File.Copy(from, to, overwrite: true);
                }
                else if (Directory.Exists(from))
                {
                    // Provider plugins can be large; the folder is a cache (`terraform init` rebuilds it), so it moves.
                    Directory.Move(from, to);
                }
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // Leftovers under .nautilus/.staging.* or .previous.* are harmless; the next run uses new names.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
