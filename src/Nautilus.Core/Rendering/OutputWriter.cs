namespace Nautilus.Core.Rendering;

/// <summary>
/// Puts a generation on disk so that a failed run leaves the previous output untouched: every file is written
/// into a staging folder under OUT/.nautilus as it is rendered, then each folder the work package owns is
/// swapped in by rename (same file system), the previous one moved aside and restored if a later swap fails.
/// The manifest is replaced last, atomically, so it never describes code that is not there.
/// </summary>
public static class OutputWriter
{
    /// <summary>Files Terraform keeps beside a root module (`terraform init`) that survive regeneration.</summary>
    internal static readonly string[] TerraformOwn = [".terraform", ".terraform.lock.hcl"];

    private static readonly string[] Kept = TerraformOwn;

    /// <param name="generate">Renders the work package into the output it is given (see <see cref="IacGenerator.Generate(Planning.WavePlan, TerraformProvider, bool, IGeneratedOutput)"/>).</param>
    /// <returns>The generation, and false for Changed when the output was already identical (nothing is touched then).</returns>
    public static async Task<(GenerationResult Result, bool Changed)> WriteAsync(
        string outDirectory,
        string workPackage,
        Func<IGeneratedOutput, GenerationResult> generate,
        CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(outDirectory);
        var work = Path.Combine(root, ".nautilus");
        var token = $"{workPackage}.{Environment.ProcessId}.{Guid.NewGuid():N}";
        var staging = Path.Combine(work, ".staging." + token);
        var aside = Path.Combine(work, ".previous." + token);
        var swapped = new List<(string Target, string? Previous)>();
        try
        {
            Directory.CreateDirectory(staging);
            var result = generate(new FolderOutput(staging));
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var folder in result.OwnedFolders)
            {
                Directory.CreateDirectory(Path.Combine(staging, folder));
            }

            if (IsUpToDate(root, staging, result))
            {
                return (result, false);
            }

            foreach (var folder in result.OwnedFolders)
            {
                CarryTerraformState(Path.Combine(root, folder), Path.Combine(staging, folder));
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

            var manifest = await File.ReadAllTextAsync(Path.Combine(staging, result.ManifestPath), CancellationToken.None).ConfigureAwait(false);
            await AtomicFile.WriteAllTextAsync(Path.Combine(root, result.ManifestPath), manifest, CancellationToken.None).ConfigureAwait(false);
            swapped.Clear();
            return (result, true);
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

    /// <summary>
    /// True when the manifest and every owned file exist with the staged bytes and there is no other file
    /// (ignoring Terraform's own).
    /// </summary>
    private static bool IsUpToDate(string root, string staging, GenerationResult result)
    {
        if (!SameBytes(Path.Combine(root, result.ManifestPath), Path.Combine(staging, result.ManifestPath)))
        {
            return false;
        }

        foreach (var folder in result.OwnedFolders)
        {
            var dir = Path.Combine(root, folder);
            if (!Directory.Exists(dir))
            {
                return false;
            }

            var existing = 0;
            foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (relative.Split('/').Any(part => Kept.Contains(part)))
                {
                    continue;
                }

                existing++;
                if (!SameBytes(file, Path.Combine(staging, relative)))
                {
                    return false;
                }
            }

            if (existing != Directory.EnumerateFiles(Path.Combine(staging, folder), "*", SearchOption.AllDirectories).Count())
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameBytes(string path, string staged)
    {
        if (!File.Exists(path) || !File.Exists(staged))
        {
            return false;
        }

        var info = new FileInfo(path);
        return info.Length == new FileInfo(staged).Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(File.ReadAllBytes(staged));
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
