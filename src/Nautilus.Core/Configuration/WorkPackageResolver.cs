using System.Diagnostics;

namespace Nautilus.Core.Configuration;

/// <summary>
/// The current work package (docs/design.md §2): --wp, else the MR source branch, else the commit branch,
/// else the local git branch, each with the configured prefix (default feature/).
/// </summary>
public sealed class WorkPackageResolver(CiEnvironment ci, string branchPrefix, Func<string?>? gitBranch = null)
{
    private readonly Func<string?> _gitBranch = gitBranch ?? GitBranch;

    public string Resolve(string? option)
    {
        if (!string.IsNullOrEmpty(option))
        {
            return WorkPackage.Validate(option, "--wp");
        }

        var candidates = new (string? Branch, string Origin)[]
        {
            (ci.MergeRequestSourceBranch, "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"),
            (ci.CommitBranch, "CI_COMMIT_BRANCH"),
        };
        foreach (var (branch, origin) in candidates)
        {
            if (!string.IsNullOrEmpty(branch))
            {
                return FromBranch(branch, origin);
            }
        }

        var local = _gitBranch();
        if (!string.IsNullOrEmpty(local) && local != "HEAD")
        {
            return FromBranch(local, "git branch");
        }

        throw NautilusException.Usage($"No work package: pass --wp <wp>, or run on a branch named {branchPrefix}<wp>.");
    }

    private string FromBranch(string branch, string origin)
    {
        if (!branch.StartsWith(branchPrefix, StringComparison.Ordinal))
        {
            throw NautilusException.Usage(
                $"Branch '{branch}' ({origin}) is not a work-package branch ({branchPrefix}<wp>). Pass --wp <wp>, or set NAUTILUS_BRANCH_PREFIX if your " +
                    $"branches use another prefix.");
        }

        return WorkPackage.Validate(branch[branchPrefix.Length..], $"from branch '{branch}'");
    }

    private static string? GitBranch()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("git", "rev-parse --abbrev-ref HEAD")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // git is not installed
        }
    }
}
