using Microsoft.Extensions.Logging;
using Nautilus.Core.GitLab;

namespace Nautilus.Core.PlanNotes;

/// <summary>
/// One sticky note per work package and merge request: found by its marker among the token user's own
/// notes (another user's note with the same marker is never touched: GitLab lets only the author edit,
/// and a copied marker must not hijack the update), edited in place, else created. An unchanged body is
/// not written again, so reviewers get no edit notification and the note history stays short.
/// </summary>
public static class PlanNotePublisher
{
    public static Task<NoteOutcome> PublishAsync(
        GitLabClient client,
        GitLabProjectRef project,
        long mergeRequestIid,
        string marker,
        string body,
        ILogger logger,
        CancellationToken cancellationToken) =>
        PublishAsync(client, project, mergeRequestIid, marker, _ => body, logger, cancellationToken);

    /// <param name="render">The body from the note as it stands (null when there is none yet): a note that accumulates (the deploy note).</param>
    public static async Task<NoteOutcome> PublishAsync(
        GitLabClient client,
        GitLabProjectRef project,
        long mergeRequestIid,
        string marker,
        Func<string?, string> render,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var me = await client.CurrentUserAsync(cancellationToken).ConfigureAwait(false);
        var mr = await client.MergeRequestAsync(project, mergeRequestIid, cancellationToken).ConfigureAwait(false);
        GitLabNote? mine = null;
        var others = 0;
        await foreach (var note in client.MergeRequestNotesAsync(project, mergeRequestIid, cancellationToken).ConfigureAwait(false))
        {
            if (note.System || !note.Body.Contains(marker, StringComparison.Ordinal))
            {
                continue;
            }

            if (note.Author.Id != me.Id)
            {
                others++;
                continue;
            }

            if (mine is null)
            {
                mine = note;
            }
            else
            {
                logger.LogWarning("Note {NoteId} on !{Iid} also carries {Marker}; updating the oldest ({Kept}) only.", note.Id, mergeRequestIid, marker,
                    mine.Id);
            }
        }

        if (others > 0)
        {
            logger.LogInformation("{Count} note(s) by other users carry {Marker}; left alone.", others, marker);
        }

        var body = render(mine?.Body);
        if (mine is null)
        {
            var created = await client.CreateMergeRequestNoteAsync(project, mergeRequestIid, body, cancellationToken).ConfigureAwait(false);
            return new NoteOutcome("created", created.Id, $"{mr.WebUrl}#note_{created.Id}");
        }

        if (Same(mine.Body, body))
        {
            return new NoteOutcome("unchanged", mine.Id, $"{mr.WebUrl}#note_{mine.Id}");
        }

        var updated = await client.UpdateMergeRequestNoteAsync(project, mergeRequestIid, mine.Id, body, cancellationToken).ConfigureAwait(false);
        return new NoteOutcome("updated", updated.Id, $"{mr.WebUrl}#note_{updated.Id}");
    }

    // GitLab stores the body as sent, but line endings and a trailing newline may differ through proxies.
    private static bool Same(string stored, string body) =>
        string.Equals(stored.ReplaceLineEndings("\n").TrimEnd(), body.ReplaceLineEndings("\n").TrimEnd(), StringComparison.Ordinal);
}
