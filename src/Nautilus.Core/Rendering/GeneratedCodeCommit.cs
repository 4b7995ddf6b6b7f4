using System.Globalization;
using System.Text;
using Nautilus.Core.GitLab;

namespace Nautilus.Core.Rendering;

/// <summary>
/// The `stale: commit` half of docs/design.md §11, step 3: the regenerated files as ONE commit on the branch, through
/// GitLab's Commits API (create, update and delete actions, atomic), so the branch's next pipeline plans exactly
/// what NetBox says now.
/// </summary>
public static class GeneratedCodeCommit
{
    /// <summary>The trailer of every commit this pushes; a pipeline of such a commit that is still stale without any NetBox change stops (see <see
    /// cref="IsRegeneration"/>).</summary>
    public const string Trailer = "Nautilus-Regenerated";

    /// <summary>One action per differing file; paths are the repository's (<paramref name="prefix"/> is the output root inside it, "" for the root).</summary>
    public static IReadOnlyList<GitLabCommitAction> Actions(CheckResult result, string prefix)
    {
        var contents = result.Contents;
        string InRepository(string path) => prefix.Length == 0 ? path : prefix.TrimEnd('/') + "/" + path;
        return result.Files.Select(f => f.Change switch
        {
            FileChangeKind.Created => GitLabCommitAction.Create(InRepository(f.Path), contents[f.Path]),
            FileChangeKind.Changed => GitLabCommitAction.Update(InRepository(f.Path), contents[f.Path]),
            _ => GitLabCommitAction.Delete(InRepository(f.Path)),
        }).ToList();
    }

    /// <summary>A commit message that says why: the NetBox changes (at most 50 lines), the pipeline that pushed it, and the trailer.</summary>
    public static string Message(CheckResult result, string source, string? pipelineUrl, Func<string, string> printable)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Regenerate {result.WorkPackage} from NetBox\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"The generated code was out of date with {source}: {result.Files.Count} file(s) differed");
        sb.Append(pipelineUrl is { Length: > 0 } url ? $" in pipeline {url}.\n" : ".\n");
        var lines = 0;
        foreach (var change in result.Objects)
        {
            var who = $"{(change.Type == "dcim.device" ? "device" : "vm")} '{printable(change.Name)}' (id {change.Id})";
            IEnumerable<string> texts = change.Kind switch
            {
                ObjectChangeKind.Added => [$"{who}: new in the work package ({printable(change.Detail ?? "")})"],
                ObjectChangeKind.Removed => [$"{who}: no longer generated ({printable(change.Detail ?? "")})"],
                _ => change.Fields.Select(f => $"{who}: {printable(f.Field)}: {printable(f.Before ?? "(none)")} -> {printable(f.After ?? "(none)")}"),
            };
            foreach (var text in texts)
            {
                if (lines++ == 0)
                {
                    sb.Append("\nNetBox changes since the last generation:\n");
                }

                if (lines <= 50)
                {
                    sb.Append("- ").Append(text.Length > 200 ? text[..197] + "..." : text).Append('\n');
                }
            }
        }

        if (lines > 50)
        {
            sb.Append(CultureInfo.InvariantCulture, $"- … and {lines - 50} more\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"\n{Trailer}: {result.WorkPackage}\n");
        return sb.ToString();
    }

    /// <summary>Whether a commit message is one this pushed for <paramref name="workPackage"/>.</summary>
    public static bool IsRegeneration(string? commitMessage, string workPackage) =>
        commitMessage is not null
        && commitMessage.Split('\n').Any(l => l.Trim() == $"{Trailer}: {workPackage}");

    /// <summary>
    /// Pushes the commit, unless the branch moved on since <paramref name="expectedHead"/> (the pipeline's commit):
    /// the newer commit's own pipeline checks it then, and a push here could undo what was pushed after it.
    /// </summary>
    public static async Task<GitLabCommit> PushAsync(
        GitLabClient client, GitLabProjectRef project, string branch, string? expectedHead, GitLabCommitRequest commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (expectedHead is { Length: > 0 })
        {
            var head = await client.BranchAsync(project, branch, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(head.Commit.Id, expectedHead, StringComparison.OrdinalIgnoreCase))
            {
                throw new NautilusException(
                    ExitCode.GeneratedCodeStale,
                    $"Not pushing: branch '{branch}' of project {project} moved on to {head.Commit.ShortId ?? head.Commit.Id} since this pipeline's commit " +
                        $"{expectedHead[..Math.Min(8, expectedHead.Length)]}. That commit's pipeline checks the generated code again.");
            }
        }

        return await client.CreateCommitAsync(project, commit, cancellationToken).ConfigureAwait(false);
    }
}
