using System.Globalization;
using System.Text;
using Nautilus.Core.NetBox;
using Nautilus.Core.Planning;

namespace Nautilus.Core.Rendering;

public enum FileChangeKind
{
    /// <summary>Generation would write a file that is not there.</summary>
    Created,

    /// <summary>The file is there with other bytes.</summary>
    Changed,

    /// <summary>A file in a folder the work package owns that generation would not write (it would be removed).</summary>
    Deleted,
}

/// <summary>A file, by its path relative to the output root, and how generation would change it.</summary>
public sealed record FileDifference(string Path, FileChangeKind Change);

public enum ObjectChangeKind
{
    /// <summary>Planned and in the work package now, not in the committed code.</summary>
    Added,

    /// <summary>In the committed code, no longer planned in the work package.</summary>
    Removed,

    /// <summary>In both, with NetBox fields that changed.</summary>
    Changed,
}

/// <param name="Detail">For a removed object, why (its status now, or that it left the work package); for an added one, its wave.</param>
public sealed record ObjectChange(string Type, int Id, string Name, ObjectChangeKind Kind, IReadOnlyList<FieldChange> Fields, string? Detail);

/// <summary>What `iac generate --check` found: the files that differ and the NetBox objects behind them.</summary>
/// <param name="Generated">The regeneration, with the committed manifest's source kept (see <see cref="GeneratedCodeCheck"/>).</param>
/// <param name="Contents">The regenerated text of each created or changed file, by path: what a commit would write.</param>
/// <param name="CommittedHasFields">False when the committed manifest predates per-object field snapshots: changed fields cannot be named.</param>
/// <param name="ProviderChange">"vsphere → aws" when the committed code targets another provider.</param>
public sealed record CheckResult(
    string WorkPackage,
    GenerationResult Generated,
    IReadOnlyList<FileDifference> Files,
    IReadOnlyDictionary<string, string> Contents,
    IReadOnlyList<ObjectChange> Objects,
    bool CommittedHasFields,
    string? ProviderChange)
{
    public bool UpToDate => Files.Count == 0;
}

/// <summary>
/// Compares a regeneration with the generated code committed under a root (docs/design.md §11, step 3): the files,
/// byte for byte, and the NetBox objects, field by field, against the snapshot the committed manifest holds.
/// Nothing is written. The manifest's `source` names where NetBox was reached from ("https://netbox…" on a laptop,
/// another URL in CI); it says nothing about the code, so the committed one is kept in the comparison.
/// </summary>
public static class GeneratedCodeCheck
{
    /// <param name="root">The output root the committed code is under (the repository root in CI).</param>
    /// <param name="generate">Renders the work package into the output it is given (<see cref="IacGenerator.Generate(Planning.WavePlan,
    /// Terraform.TerraformProvider, bool, IGeneratedOutput)"/>).</param>
    /// <param name="snapshot">The NetBox objects of the work package now, to say why an object left the code.</param>
    public static CheckResult Run(string root, string workPackage, Func<IGeneratedOutput, GenerationResult> generate, NetBoxSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(generate);
        ArgumentNullException.ThrowIfNull(snapshot);
        root = Path.GetFullPath(root);

        // Only the header (source, provider, files) while the code may be current: the byte comparison decides, and
        // the objects of a large manifest are parsed only to explain a difference. An unreadable manifest is simply
        // out of date: the file comparison shows it.
        var committedPath = Manifest.PathFor(root, workPackage);
        var header = Manifest.TryReadHeader(committedPath);
        var manifestPath = GenerationResult.ManifestPathOf(workPackage);
        var output = new ComparingOutput(root, manifestPath);
        var generated = generate(output);
        if (header?.Source is { } committedSource && committedSource != generated.Manifest.Source)
        {
            generated = generated with { Manifest = generated.Manifest with { Source = committedSource } };
        }

        output.Compare(manifestPath, generated.Manifest.ToJson());
        var files = output.Differences(generated.OwnedFolders, OutputWriter.GeneratedBy(header?.Files, workPackage));
        var providerChange = header?.Provider is { } before && generated.Manifest.Provider is { } after && before != after ? $"{before} → {after}" : null;
        if (files.Count == 0)
        {
            return new CheckResult(workPackage, generated, files, output.Contents, [], true, providerChange);
        }

        Manifest? committed;
        try
        {
            committed = Manifest.TryRead(committedPath);
        }
        catch (NautilusException)
        {
            committed = null;
        }

        var objects = CompareObjects(committed, generated.Manifest, snapshot, workPackage);
        var hasFields = committed is null || committed.Waves.SelectMany(w => w.Objects).All(o => o.Fields is not null);
        return new CheckResult(workPackage, generated, files, output.Contents, objects, hasFields, providerChange);
    }

    private static List<ObjectChange> CompareObjects(Manifest? committed, Manifest current, NetBoxSnapshot snapshot, string workPackage)
    {
        var changes = new List<ObjectChange>();
        var before = (committed?.Waves ?? []).SelectMany(w => w.Objects.Select(o => (Wave: w.Name, Object: o))).ToDictionary(p => (p.Object.Type, p.Object.Id));
        var after = current.Waves.SelectMany(w => w.Objects.Select(o => (Wave: w.Name, Object: o))).ToDictionary(p => (p.Object.Type, p.Object.Id));
        var inNetBox = snapshot.Objects.ToDictionary(o => (o.ObjectType, o.Id));

        foreach (var (key, (wave, now)) in after)
        {
            if (!before.TryGetValue(key, out var was))
            {
                changes.Add(new ObjectChange(now.Type, now.Id, now.Name, ObjectChangeKind.Added, [], $"wave {wave}"));
                continue;
            }

            var fields = was.Object.Fields is null ? [] : NetBoxFields.Diff(was.Object.Fields, now.Fields ?? new Dictionary<string, string>());
            if (fields.Count > 0)
            {
                changes.Add(new ObjectChange(now.Type, now.Id, now.Name, ObjectChangeKind.Changed, fields, null));
            }
        }

        foreach (var (key, (_, was)) in before)
        {
            if (after.ContainsKey(key))
            {
                continue;
            }

            var detail = inNetBox.TryGetValue(key, out var o)
                ? (o.StatusValue == "planned" ? "outside the selection filters" : $"status is now {o.StatusValue}")
                : $"no longer tagged {WorkPackage.TagName(workPackage)}, or deleted from NetBox";
            changes.Add(new ObjectChange(was.Type, was.Id, was.Name, ObjectChangeKind.Removed, [], detail));
        }

        return changes.OrderBy(c => c.Name, StringComparer.Ordinal).ThenBy(c => c.Id).ToList();
    }

    /// <summary>
    /// The report for a job log or a terminal: files, then objects and fields, at most <paramref name="limit"/> lines
    /// each. NetBox text is passed through <paramref name="printable"/> so it cannot drive the terminal.
    /// </summary>
    public static string Render(CheckResult result, string source, Func<string, string> printable, int limit = 200)
    {
        var sb = new StringBuilder();
        if (result.UpToDate)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Up to date: the generated code of work package {result.WorkPackage} matches {source}.\n");
            return sb.ToString();
        }

        sb.Append(CultureInfo.InvariantCulture, $"The generated code of work package {result.WorkPackage} is out of date with {source}.\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Files that differ ({result.Files.Count}):\n");
        foreach (var file in result.Files.Take(limit))
        {
            var what = file.Change switch
            {
                FileChangeKind.Created => "missing",
                FileChangeKind.Deleted => "no longer generated",
                _ => "changed",
            };
            sb.Append(CultureInfo.InvariantCulture, $"  {what,-19} {printable(file.Path)}\n");
        }

        More(sb, result.Files.Count, limit);
        sb.Append('\n');
        if (result.ProviderChange is { } provider)
        {
            sb.Append(CultureInfo.InvariantCulture, $"The committed code targets another Terraform provider ({provider}).\n\n");
        }

        if (result.Objects.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"NetBox objects that changed since the code was generated ({result.Objects.Count}):\n");
            var lines = 0;
            var shown = 0;
            foreach (var change in result.Objects)
            {
                if (lines >= limit)
                {
                    break;
                }

                shown++;
                var noun = change.Type == "dcim.device" ? "device" : "vm";
                var who = $"{noun} '{printable(change.Name)}' (id {change.Id})";
                switch (change.Kind)
                {
                    case ObjectChangeKind.Added:
                        sb.Append(CultureInfo.InvariantCulture, $"  {who}: new in the work package ({printable(change.Detail ?? "")})\n");
                        lines++;
                        break;
                    case ObjectChangeKind.Removed:
                        sb.Append(CultureInfo.InvariantCulture, $"  {who}: no longer in the generated code ({printable(change.Detail ?? "")})\n");
                        lines++;
                        break;
                    default:
                        foreach (var field in change.Fields)
                        {
                            sb.Append(CultureInfo.InvariantCulture,
                                $"  {who}: {printable(field.Field)}: {Value(field.Before, printable)} → {Value(field.After, printable)}\n");
                            lines++;
                        }

                        break;
                }
            }

            More(sb, result.Objects.Count, shown);
            sb.Append('\n');
        }
        else if (result.CommittedHasFields)
        {
            sb.Append("No NetBox object changed since the code was generated: the difference comes from the templates, the provider, the selection filters " +
                "or the nautilus version.\n\n");
        }

        if (!result.CommittedHasFields)
        {
            sb.Append("The committed manifest predates per-object field snapshots, so changed fields cannot be named; regenerating records them.\n\n");
        }

        return sb.ToString();
    }

    private static string Value(string? value, Func<string, string> printable) =>
        value is null ? "(none)" : "'" + printable(value.Length > 120 ? value[..117] + "..." : value) + "'";

    private static void More(StringBuilder sb, int total, int shown)
    {
        if (total > shown)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  … and {total - shown} more\n");
        }
    }
}

/// <summary>
/// An <see cref="IGeneratedOutput"/> that writes nothing: each file is compared with the one under the root as it is
/// rendered, and only the text of files that differ is kept (what a commit needs). Thread-safe, as waves render in
/// parallel. <paramref name="deferred"/> paths are compared later through <see cref="Compare"/> (the manifest, whose
/// source is normalised first).
/// </summary>
internal sealed class ComparingOutput(string root, params string[] deferred) : IGeneratedOutput
{
    private static readonly System.Text.UTF8Encoding Utf8 = new(false);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _differing = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, FileChangeKind> _changes = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _written = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Contents => _differing;

    public void Write(string path, string content)
    {
        _written[path] = true;
        if (!deferred.Contains(path, StringComparer.Ordinal))
        {
            Compare(path, content);
        }
    }

    /// <summary>
    /// Streams the rendering against the file on disk, so an unchanged file (the inventory of 10,000 hosts is the large
    /// one) is never held in memory; only a file that differs is rendered again as text, for the report and a commit.
    /// </summary>
    public void Write(string path, Action<TextWriter> write)
    {
        var full = Path.Combine(root, path);
        if (!deferred.Contains(path, StringComparer.Ordinal) && File.Exists(full))
        {
            _written[path] = true;
            using var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
            var comparer = new ComparingStream(file);
            using (var writer = new InvariantStreamWriter(comparer))
            {
                write(writer);
            }

            if (comparer.Same && file.Position == file.Length)
            {
                return;
            }
        }

        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        write(text);
        Write(path, text.ToString());
    }

    public void WriteUtf8(string path, Action<Stream> write) => Write(path, MemoryOutput.Utf8Text(write));

    /// <summary>UTF-8 without BOM, "\n" line ends and invariant formatting: the bytes OutputWriter writes.</summary>
    private sealed class InvariantStreamWriter : StreamWriter
    {
        public InvariantStreamWriter(Stream stream)
            : base(stream, Utf8, 1 << 16, leaveOpen: true) => NewLine = "\n";

        public override IFormatProvider FormatProvider => CultureInfo.InvariantCulture;
    }

    /// <summary>A write-only stream that compares what is written with the next bytes of a file.</summary>
    private sealed class ComparingStream(FileStream file) : WriteOnlyStream
    {
        private byte[] _buffer = [];

        public bool Same { get; private set; } = true;

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (!Same || buffer.IsEmpty)
            {
                return;
            }

            if (_buffer.Length < buffer.Length)
            {
                _buffer = new byte[Math.Max(buffer.Length, 1 << 16)];
            }

            var read = file.ReadAtLeast(_buffer.AsSpan(0, buffer.Length), buffer.Length, throwOnEndOfStream: false);
            Same = read == buffer.Length && buffer.SequenceEqual(_buffer.AsSpan(0, read));
        }
    }

    public void Compare(string path, string content)
    {
        _written[path] = true;
        var full = Path.Combine(root, path);
        if (!File.Exists(full))
        {
            _changes[path] = FileChangeKind.Created;
            _differing[path] = content;
        }
        else if (!SameBytes(full, content))
        {
            _changes[path] = FileChangeKind.Changed;
            _differing[path] = content;
        }
    }

    /// <summary>
    /// Every difference, sorted by path: created and changed files, and files the committed generation wrote that this
    /// one does not (what generation would remove). Files a person or Terraform put in the owned folders are kept by
    /// generation, so they are no difference.
    /// </summary>
    public IReadOnlyList<FileDifference> Differences(IEnumerable<string> ownedFolders, Func<string, bool> generatedBefore)
    {
        var differences = _changes.Select(c => new FileDifference(c.Key, c.Value)).ToList();
        foreach (var folder in ownedFolders)
        {
            var dir = Path.Combine(root, folder);
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (!_written.ContainsKey(relative) && generatedBefore(relative))
                {
                    differences.Add(new FileDifference(relative, FileChangeKind.Deleted));
                }
            }
        }

        return differences.OrderBy(d => d.Path, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The length first, then the bytes in 48 KB steps through two small pooled buffers: comparing thousands of files,
    /// some of them megabytes, holds no copy of any of them.
    /// </summary>
    private static bool SameBytes(string path, string content)
    {
        if (new FileInfo(path).Length != Utf8.GetByteCount(content))
        {
            return false;
        }

        const int Chars = 16 * 1024;
        var expected = System.Buffers.ArrayPool<byte>.Shared.Rent(Chars * 3);
        var actual = System.Buffers.ArrayPool<byte>.Shared.Rent(Chars * 3);
        try
        {
            var encoder = Utf8.GetEncoder();
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            for (var at = 0; at < content.Length; at += Chars)
            {
                var take = Math.Min(Chars, content.Length - at);
                var count = encoder.GetBytes(content.AsSpan(at, take), expected, flush: at + take == content.Length);
                if (stream.ReadAtLeast(actual.AsSpan(0, count), count, throwOnEndOfStream: false) != count
                    || !expected.AsSpan(0, count).SequenceEqual(actual.AsSpan(0, count)))
                {
                    return false;
                }
            }

            return stream.Position == stream.Length;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(expected);
            System.Buffers.ArrayPool<byte>.Shared.Return(actual);
        }
    }
}
