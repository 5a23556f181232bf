using Akka.Actor;
using Messenger.Messages.Chat;
using Messenger.Node.Attachments;
using Messenger.Web.Api;

namespace Messenger.Web.Attachments;

/// <summary>
/// Who may download an attachment: its uploader, and every user whose inbox holds a message carrying it (asked of
/// that user's own inbox, which folds the ids its messages carry). Anyone else, and any id that names nothing,
/// gets the same <c>not_found</c>: an id reveals nothing.
/// </summary>
public sealed class AttachmentAccess(AttachmentStore store, InboxRegion inboxes, EdgeTimeouts timeouts)
{
    public static readonly EdgeError NotFound = new(ErrorCodes.NotFound, "no such attachment");

    public async Task<EdgeAnswer<StoredAttachment>> CheckAsync(string me, string rawId, CancellationToken ct)
    {
        if (!Guid.TryParse(rawId, out var id)) return NotFound;
        try
        {
            if (await store.FindAsync(id, ct) is not { } stored) return NotFound;
            if (stored.Uploader == me) return stored;
            if (!stored.Carried) return NotFound;
            var region = await inboxes.GetAsync(ct);
            var answer = await region.Ask<AttachmentQueries.AttachmentHeld>(new AttachmentQueries.HoldsAttachment(me, id), timeouts.Query, ct);
            return answer.Held ? stored : NotFound;
        }
        catch (Exception e) when (e is AskTimeoutException or System.Data.Common.DbException or TimeoutException)
        {
            return new EdgeError(ErrorCodes.Unavailable, "the attachment could not be checked in time; retry");
        }
    }
}
