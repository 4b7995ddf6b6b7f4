using Nautilus.Core.Planning;

namespace Nautilus.Core.Rendering;

/// <summary>
/// Puts a generation on disk so that a failed run leaves the previous output untouched: every file is written
/// into a staging folder under OUT/.nautilus as it is rendered, then each folder the work package owns is
/// swapped in by rename (same file system), the previous one moved aside and restored if a later swap fails.
/// The manifest is replaced last, atomically, so it never describes code that is not there.
/// Only files the previous generation wrote (its manifest lists them) are dropped: Terraform's .terraform/
/// folders, lock files and anything else a person put in those folders are carried into the new output, also
/// in the folder of a wave that is no longer generated.
/// </summary>
public static class OutputWriter
{
    /// <summary>Terraform's working folder beside a root module (`terraform init`): a cache of providers and modules.</summary>
    private const string TerraformFolder = ".terraform";

    /// <param name="generate">Renders the work package into the output it is given (see <see cref="IacGenerator.Generate(Planning.WavePlan, TerraformProvider,
    /// bool, IGeneratedOutput)"/>).</param>
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

            var generatedBefore = GeneratedBefore(root, result);
            var generatedNow = result.Paths.ToHashSet(StringComparer.Ordinal);
            foreach (var folder in result.OwnedFolders)
            {
                CarryForeignFiles(root, folder, staging, generatedBefore, generatedNow);
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

            await AtomicFile.CopyAsync(Path.Combine(staging, result.ManifestPath), Path.Combine(root, result.ManifestPath)).ConfigureAwait(false);
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
                    // The .terraform folders were moved, not copied, into the new output: give them back first.
                    if (previous is not null && Directory.Exists(previous))
                    {
                        MoveTerraformFolders(target, previous);
                    }

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
    /// True when the manifest (and so the list of generated files) and every generated file exist with the staged bytes.
    /// Other files in the owned folders are not the generation's and do not count.
    /// </summary>
    private static bool IsUpToDate(string root, string staging, GenerationResult result) =>
        result.Paths.Append(result.ManifestPath).Distinct(StringComparer.Ordinal).All(path => SameBytes(Path.Combine(root, path), Path.Combine(staging, path)));

    private static bool SameBytes(string path, string staged)
    {
        if (!File.Exists(path) || !File.Exists(staged))
        {
            return false;
        }

        var info = new FileInfo(path);
        return info.Length == new FileInfo(staged).Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(File.ReadAllBytes(staged));
    }

    /// <summary>
    /// Whether a file under an owned folder was written by the previous generation: its manifest lists them. A manifest
    /// from before that list (or none) leaves the layout rule: the wave modules' .tf files and the Ansible files.
    /// </summary>
    private static Func<string, bool> GeneratedBefore(string root, GenerationResult result)
    {
        Manifest? previous = null;
        try
        {
            previous = Manifest.TryRead(Path.Combine(root, result.ManifestPath));
        }
        catch (NautilusException)
        {
            // An unreadable previous manifest is replaced by this generation; the layout rule decides meanwhile.
        }

        return GeneratedBy(previous, result.WorkPackage);
    }

    /// <summary>
    /// Whether a generation described by <paramref name="previous"/> wrote a file ('/' separated, relative to the root).
    /// `iac generate --check` uses the same rule, so it never reports a file that generation would keep.
    /// </summary>
    internal static Func<string, bool> GeneratedBy(Manifest? previous, string wp) => GeneratedBy(previous?.Files, wp);

    /// <param name="previousFiles">The file list of the previous generation's manifest, when it has one.</param>
    internal static Func<string, bool> GeneratedBy(IReadOnlyList<string>? previousFiles, string wp)
    {
        if (previousFiles is { } files)
        {
            var set = files.ToHashSet(StringComparer.Ordinal);
            return set.Contains;
        }

        return relative =>
        {
            var parts = relative.Split('/');
            return (parts.Length == 4 && parts[0] == "terraform" && parts[1] == wp && parts[3].EndsWith(".tf", StringComparison.Ordinal))
                || (parts.Length == 3 && parts[0] == "ansible" && parts[1] == wp && parts[2] is "inventory.yml" or "site.yml")
                || (parts.Length == 4 && parts[0] == "ansible" && parts[1] == wp && parts[2] == "waves" && parts[3].EndsWith(".yml", StringComparison.Ordinal));
        };
    }

    /// <summary>
    /// Puts into the staged folder everything of the current one that no generation owns: .terraform/ folders are moved
    /// (provider plugins can be large; on a rollback they move back), other files copied.
    /// </summary>
    private static void CarryForeignFiles(string root, string folder, string staging, Func<string, bool> generatedBefore, HashSet<string> generatedNow)
    {
        var target = Path.Combine(root, folder);
        if (!Directory.Exists(target))
        {
            return;
        }

        MoveTerraformFolders(target, Path.Combine(staging, folder));
        foreach (var file in Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.Split('/').Contains(TerraformFolder) || generatedNow.Contains(relative) || generatedBefore(relative))
            {
                continue;
            }

            var to = Path.Combine(staging, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to, overwrite: false);
        }
    }

    /// <summary>Moves every .terraform folder under <paramref name="from"/> to the same place under <paramref name="to"/> (where there is none yet).</summary>
    private static void MoveTerraformFolders(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, TerraformFolder, SearchOption.AllDirectories).ToList())
        {
            var relative = Path.GetRelativePath(from, dir);
            if (relative.Split(Path.DirectorySeparatorChar).Count(p => p == TerraformFolder) != 1)
            {
                continue; // inside another .terraform folder (a module's own), which moves with it
            }

            var destination = Path.Combine(to, relative);
            if (!Directory.Exists(destination))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                Directory.Move(dir, destination);
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
