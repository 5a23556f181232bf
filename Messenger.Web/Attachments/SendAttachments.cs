using Messenger.Messages.Chat;
using Messenger.Node.Attachments;
using Messenger.Web.Api;

namespace Messenger.Web.Attachments;

/// <summary>
/// Turns a send's attachment ids into the metadata both copies carry. Each id must name a complete upload of the
/// sender; it is marked carried here, before the send reaches the inbox, so the sweep can never remove a file that an
/// acknowledged message carries (a send that then fails leaves it carried: kept, never swept).
/// </summary>
public sealed class SendAttachments(AttachmentStore store)
{
    private static readonly EdgeError NotFound = new(ErrorCodes.NotFound, "no such attachment");

    public async Task<EdgeAnswer<AttachmentList>> ResolveAsync(string me, IReadOnlyList<string?>? ids, CancellationToken ct)
    {
        if (ids is null || ids.Count == 0) return AttachmentList.Empty;
        var resolved = new List<Attachment>(ids.Count);
        try
        {
            // A file listed twice is carried once.
            foreach (var raw in ids.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (raw is null || !Guid.TryParse(raw, out var id)) return NotFound;
                if (resolved.Any(a => a.AttachmentId == id)) continue;
                if (await store.FindAsync(id, ct) is not { } stored || stored.Uploader != me) return NotFound;
                resolved.Add(stored.Attachment);
            }
            foreach (var a in resolved)
                if (!await store.MarkCarriedAsync(a.AttachmentId, ct)) return NotFound;
        }
        catch (System.Data.Common.DbException)
        {
            return new EdgeError(ErrorCodes.Unavailable, "attachments could not be checked; retry with the same clientMessageId");
        }
        return AttachmentList.Of(resolved);
    }
}
