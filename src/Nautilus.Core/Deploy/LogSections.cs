namespace Nautilus.Core.Deploy;

/// <summary>
/// GitLab's collapsible job-log sections (docs.gitlab.com/ci/jobs/job_logs/#custom-collapsible-sections): ESC[0K
/// section_start:&lt;unix time&gt;:&lt;name&gt;[collapsed=true] CR ESC[0K &lt;header&gt;. Outside CI, a plain header line.
/// </summary>
public sealed class LogSections(TextWriter writer, bool gitLab, TimeProvider time)
{
    private const string Esc = "\u001b[0K";

    public IDisposable Open(string name, string header, bool collapsed = false)
    {
        // Names allow letters, digits, '_', '.', '-'; start and end must match.
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '_').ToArray());
        lock (writer)
        {
            writer.WriteLine(gitLab
                ? $"{Esc}section_start:{time.GetUtcNow().ToUnixTimeSeconds()}:{safe}{(collapsed ? "[collapsed=true]" : "")}\r{Esc}{header}"
                : $"==> {header}");
            writer.Flush();
        }

        return new End(this, safe);
    }

    private void Close(string name)
    {
        if (!gitLab)
        {
            return;
        }

        lock (writer)
        {
            writer.WriteLine($"{Esc}section_end:{time.GetUtcNow().ToUnixTimeSeconds()}:{name}\r{Esc}");
            writer.Flush();
        }
    }

    private sealed class End(LogSections owner, string name) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                owner.Close(name);
            }
        }
    }
}
