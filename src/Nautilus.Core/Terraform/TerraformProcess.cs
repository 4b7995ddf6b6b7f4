using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Nautilus.Core.Secrets;

namespace Nautilus.Core.Terraform;

/// <summary>
/// Runs the Terraform (or OpenTofu) binary: arguments as an argv list (never a shell line), credentials only in
/// the child's environment, output streamed line by line through the secret redactor, and SIGTERM forwarded so
/// Terraform can stop cleanly and release the state lock when GitLab cancels the job.
/// </summary>
public sealed class TerraformProcess(string binary, TextWriter log, SecretRedactor redactor, ILogger logger)
{
    /// <summary>How long Terraform gets to stop after SIGTERM before it is killed (GitLab allows a job ~ this long after cancel).</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Variables that carry Nautilus's own credentials: Terraform never needs them, so the child does not see them.</summary>
    public static readonly string[] Scrubbed =
    [
        "NAUTILUS_NETBOX_TOKEN", "NAUTILUS_GITLAB_TOKEN", "NAUTILUS_WEBHOOK_SECRET", "NAUTILUS_ADMIN_TOKEN",
        "VAULT_TOKEN", "VAULT_SECRET_ID", "VAULT_ID_TOKEN",
    ];

    public string Binary => binary;

    /// <param name="captureStdout">Keep stdout (for `output -json`) instead of streaming it to the log.</param>
    public async Task<TerraformRun> RunAsync(
        IReadOnlyList<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string> environment,
        bool captureStdout,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(binary)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in Scrubbed)
        {
            start.Environment.Remove(name);
        }

        start.Environment["TF_IN_AUTOMATION"] = "1";
        start.Environment["TF_INPUT"] = "0";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        logger.LogDebug("Running {Binary} {Arguments} in {Directory}", binary, string.Join(' ', arguments), workingDirectory);
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw NautilusException.Usage($"Cannot run the Terraform binary '{binary}' ({ex.Message}). Install terraform or tofu, or set NAUTILUS_TF_BIN to " +
                $"its path.");
        }

        process.StandardInput.Close();
        var stdout = new StringBuilder();
        var readOut = PumpAsync(process.StandardOutput, line =>
        {
            if (captureStdout)
            {
                stdout.AppendLine(line);
            }
            else
            {
                WriteLog(line);
            }
        });
        var readErr = PumpAsync(process.StandardError, WriteLog);

        var signalled = 0;
        void Terminate()
        {
            if (Interlocked.Exchange(ref signalled, 1) == 0 && !HasExited(process))
            {
                logger.LogWarning("Stopping {Binary} (pid {Pid}) with SIGTERM so it can release the state lock", binary, process.Id);
                SendTerm(process);
            }
        }

        // GitLab stops a job with SIGTERM: pass it on instead of dying with Terraform holding the state lock.
        var terminated = false;
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            terminated = true;
            Terminate();
        });

        // Ctrl-C on a terminal reaches the whole process group, Terraform included; a second interrupt would make it
        // abandon the lock, so SIGINT is only noted, never forwarded.
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => Interlocked.Exchange(ref signalled, 1));
        using var onCancel = cancellationToken.Register(() =>
            _ = Task.Delay(200, CancellationToken.None).ContinueWith(_ => Terminate(), TaskScheduler.Default));

        using var grace = new CancellationTokenSource();
        using var startGrace = cancellationToken.Register(() => grace.CancelAfter(StopGrace));
        try
        {
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("{Binary} did not stop within {Grace}; killing it", binary, StopGrace);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await Task.WhenAll(readOut, readErr).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (terminated)
        {
            throw new OperationCanceledException($"{binary} was stopped by SIGTERM (job cancelled or timed out).");
        }

        return new TerraformRun(process.ExitCode, stdout.ToString());
    }

    private void WriteLog(string line)
    {
        lock (log)
        {
            log.WriteLine(redactor.Redact(line));
            log.Flush();
        }
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> onLine)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            onLine(line);
        }
    }

    private static bool HasExited(Process process)
    {
        try
        {
            return process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private static void SendTerm(Process process)
    {
        if (OperatingSystem.IsWindows())
        {
            process.Kill(entireProcessTree: true);
            return;
        }

        const int Sigterm = 15;
        _ = Kill(process.Id, Sigterm);
    }

    // DllImport rather than LibraryImport: the generated stub would need unsafe code for this one blittable call.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
