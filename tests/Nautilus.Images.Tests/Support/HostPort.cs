using System.Net;
using System.Net.Sockets;

namespace Nautilus.Images.Tests.Support;

/// <summary>
/// A fixed port on the host's network, which containers share: test runs on one machine (other checkouts) take
/// turns through a lock file, and a port some other program holds fails the test with that reason.
/// </summary>
public sealed class HostPort : IDisposable
{
    private readonly FileStream _lock;

    private HostPort(FileStream @lock) => _lock = @lock;

    public static async Task<HostPort> AcquireAsync(int port)
    {
        var path = Path.Combine(Path.GetTempPath(), $"nautilus-images-port-{port}.lock");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        FileStream? held = null;
        while (held is null)
        {
            try
            {
                // FileShare.None takes an exclusive flock, which the kernel drops if this process dies.
                held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
            catch (IOException e)
            {
                throw new InvalidOperationException($"Another test run on this machine held port {port} ({path}) for 3 minutes.", e);
            }
        }

        try
        {
            using var probe = new TcpListener(IPAddress.Any, port);
            probe.Start();
        }
        catch (SocketException e)
        {
            held.Dispose();
            throw new InvalidOperationException(
                $"Port {port} is in use on this machine by another program; the image's service listens there on the host network. Free it (ss -ltnp 'sport " +
                    $"= :{port}') and run again.", e);
        }

        return new HostPort(held);
    }

    public void Dispose() => _lock.Dispose();
}
