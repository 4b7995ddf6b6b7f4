namespace Nautilus.Core.Pipelines;

/// <summary>POSIX shell quoting for values placed in job scripts (GitLab runs script lines in sh/bash).</summary>
public static class Shell
{
    /// <summary>The value as one shell word: unchanged when it holds only safe characters, else single-quoted.</summary>
    public static string Quote(string value)
    {
        if (value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or '+' or ','))
        {
            return value;
        }

        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
