using System.Diagnostics;
using System.Globalization;
using System.Text;
using Nautilus.Testing;

namespace Nautilus.Images.Tests.Support;

/// <summary>
/// A buildah working container made from an image. Commands run in it as `docker run --network host` would run
/// them: the image's user, working directory and environment, the host's network, bind-mounted folders.
/// </summary>
public sealed class Container : IAsyncDisposable
{
    private Container(string name, string image)
    {
        Name = name;
        Image = image;
    }

    public string Name { get; }

    public string Image { get; }

    public static async Task<Container> FromAsync(string image)
    {
        var name = "nautilus-test-" + Guid.NewGuid().ToString("N")[..12];
        await TestImages.BuildahAsync("from", "--pull-never", "--name", name, image);
        return new Container(name, image);
    }

    /// <param name="volumes">host:container[:ro] bind mounts.</param>
    public async Task<Tools.Run> RunAsync(IEnumerable<string> command, IReadOnlyDictionary<string, string>? environment = null,
        IReadOnlyList<string>? volumes = null, string? user = null)
    {
        await MountOverDeclaredVolumesAsync(volumes ?? []);
        return await TestImages.RunAsync(Arguments(command, environment, volumes, user));
    }

    /// <summary>Starts a long-running command (a service); the returned process is the container's.</summary>
    public async Task<ContainerProcess> StartAsync(IEnumerable<string> command, IReadOnlyDictionary<string, string>? environment = null,
        IReadOnlyList<string>? volumes = null)
    {
        await MountOverDeclaredVolumesAsync(volumes ?? []);
        return ContainerProcess.Start(Arguments(command, environment, volumes, null));
    }

    public async ValueTask DisposeAsync() => await TestImages.RunAsync(["rm", Name]);

    /// <summary>
    /// `buildah run` mounts a fresh directory on each VOLUME the image declares, over a bind mount to the same
    /// place, where `docker run -v` replaces the volume. Undeclaring it in this working container (not the image)
    /// lets the bind mount through.
    /// </summary>
    private async Task MountOverDeclaredVolumesAsync(IReadOnlyList<string> volumes)
    {
        if (volumes.Count == 0)
        {
            return;
        }

        using var inspect = System.Text.Json.JsonDocument.Parse(await TestImages.BuildahAsync("inspect", "--type", "container", Name));
        var config = inspect.RootElement.GetProperty("OCIv1").GetProperty("config");
        if (!config.TryGetProperty("Volumes", out var declared) || declared.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            return;
        }

        foreach (var target in volumes.Select(v => v.Split(':')[1]).Where(t => declared.TryGetProperty(t, out _)))
        {
            await TestImages.BuildahAsync("config", "--volume", target + "-", Name);
        }
    }

    private List<string> Arguments(IEnumerable<string> command, IReadOnlyDictionary<string, string>? environment, IEnumerable<string>? volumes, string? user)
    {
        var args = new List<string> { "run", "--network", "host" };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            args.AddRange(["-e", $"{key}={value}"]);
        }

        foreach (var volume in volumes ?? [])
        {
            args.AddRange(["-v", volume]);
        }

        if (user is not null)
        {
            args.AddRange(["--user", user]);
        }

        args.Add(Name);
        args.Add("--");
        args.AddRange(command);
        return args;
    }
}

/// <summary>`buildah run` of a service, with its output kept for failure messages.</summary>
public sealed class ContainerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ContainerProcess(Process process) => _process = process;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static ContainerProcess Start(IEnumerable<string> args)
    {
        // A stdin of its own, closed at once (see TestImages.RunAsync).
        var start = new ProcessStartInfo("buildah") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start };
        var container = new ContainerProcess(process);
        process.OutputDataReceived += (_, e) => container.Append(e.Data);
        process.ErrorDataReceived += (_, e) => container.Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return container;
    }

    /// <summary>The uid a process of the container whose command line contains <paramref name="marker"/> runs as.</summary>
    public int UidOf(string marker)
    {
        foreach (var pid in Descendants())
        {
            string commandLine;
            string status;
            try
            {
                commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
                status = File.ReadAllText($"/proc/{pid}/status");
            }
            catch (IOException)
            {
                continue;
            }

            if (commandLine.Contains(marker, StringComparison.Ordinal))
            {
                var uids = status.Split('\n').Single(l => l.StartsWith("Uid:", StringComparison.Ordinal))
                    .Split('\t', StringSplitOptions.RemoveEmptyEntries)[1..];
                Assert.True(uids.Distinct().Count() == 1, $"'{marker}' runs with mixed uids (real, effective, saved, fs): {string.Join(' ', uids)}");
                return int.Parse(uids[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"No process of the container runs '{marker}':\n{Output}");
    }

    /// <summary>SIGKILL to every process of the container: no shutdown hooks, no flush, as an OOM kill or a node loss.</summary>
    public async Task KillAsync()
    {
        // The whole tree first, deepest first: Process.Kill(entireProcessTree) finds children level by level, and
        // buildah's chroot runtime dies with its parent, leaving the service to init before it is reached.
        foreach (var pid in Descendants().Reverse())
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (ArgumentException)
            {
                // already gone
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
        }

        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private IEnumerable<int> Descendants()
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }

        var found = new List<int>();
        var frontier = new Queue<int>([_process.Id]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var child in parents.Where(p => p.Value == parent).Select(p => p.Key))
            {
                found.Add(child);
                frontier.Enqueue(child);
            }
        }

        return found;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
