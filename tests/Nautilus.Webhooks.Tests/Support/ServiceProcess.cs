using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Nautilus.Testing;

namespace Nautilus.Webhooks.Tests.Support;

/// <summary>The built service as a real process: dotnet nautilus-webhooks.dll --urls http://127.0.0.1:&lt;port&gt;.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, string url)
    {
        _process = process;
        Url = url;
        Client = new HttpClient { BaseAddress = new Uri(url), Timeout = Eventually.Bound };
    }

    public string Url { get; }

    public HttpClient Client { get; }

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

    /// <summary>The service's process id, which its worker's lease owners start with ("{host}/{pid}/…").</summary>
    public int ProcessId => _process.Id;

    public static async Task<ServiceProcess> StartAsync(IDictionary<string, string> environment, params string[] options)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "nautilus-webhooks.dll");
        Assert.True(File.Exists(dll), $"The service was not built next to the tests: {dll} is missing.");
        var url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url);
        foreach (var option in options)
        {
            start.ArgumentList.Add(option);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("NAUTILUS_", StringComparison.Ordinal)
            || k.StartsWith("VAULT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var service = new ServiceProcess(process, url);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await service.WaitReadyAsync();
        return service;
    }

    /// <summary>SIGTERM, as `docker stop` or Kubernetes sends it, then waits for the process to exit; answers its exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await _process.WaitForExitAsync();
        _process.WaitForExit(); // drains the output readers
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, like an OOM kill or a node loss.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        Client.Dispose();
        _process.Dispose();
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

    private Task WaitReadyAsync() =>
        Eventually.TrueAsync(
            async () =>
            {
                if (_process.HasExited)
                {
                    // The parameterless wait also drains the asynchronous stdout/stderr readers, so the last lines
                    // (the reason the service gave) are in Output before it is read.
                    _process.WaitForExit();
                    throw new InvalidOperationException($"The service exited with {_process.ExitCode} before it was ready:\n{Output}");
                }

                try
                {
                    using var response = await Client.GetAsync("/readyz");
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false; // not listening yet
                }
            },
            $"The service at {Url} answering /readyz with 200",
            () => Output);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
