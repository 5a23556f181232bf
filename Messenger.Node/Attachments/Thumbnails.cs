using System.Collections.Concurrent;

namespace Messenger.Node.Attachments;

/// <summary>
/// Thumbnails, made once and cached in the store. Making one reads the picture and decodes it on the thread pool,
/// at most <paramref name="concurrency"/> at a time (a burst of requests for new pictures queues instead of taking
/// every core); requests for the same picture while it is being made share that one job.
/// </summary>
public sealed class Thumbnails(AttachmentStore store, int concurrency = 2)
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, concurrency));
    private readonly ConcurrentDictionary<Guid, Lazy<Task<(string ContentType, byte[] Data)?>>> _making = new();

    /// <summary>The thumbnail's (content type, bytes), or null when the file cannot have one.</summary>
    public async Task<(string ContentType, byte[] Data)?> GetAsync(StoredAttachment stored, CancellationToken ct)
    {
        var attachment = stored.Attachment;
        if (!ThumbnailMaker.CanThumbnail(attachment.ContentType)) return null;
        if (await store.FindThumbnailAsync(attachment.AttachmentId, ct) is { } cached)
            return cached.ContentType.Length == 0 ? null : cached;
        var job = _making.GetOrAdd(attachment.AttachmentId, _ => new Lazy<Task<(string, byte[])?>>(() => MakeAsync(stored)));
        try
        {
            return await job.Value.WaitAsync(ct);
        }
        finally
        {
            if (job.Value.IsCompleted) _making.TryRemove(new(attachment.AttachmentId, job));
        }
    }

    private async Task<(string ContentType, byte[] Data)?> MakeAsync(StoredAttachment stored)
    {
        var attachment = stored.Attachment;
        await _slots.WaitAsync();
        try
        {
            // The decoder needs the whole picture; bounded by the upload limit and by the slots.
            using var picture = new MemoryStream((int)attachment.Size);
            if (!await store.CopyToAsync(attachment.AttachmentId, 0, attachment.Size, picture, CancellationToken.None)) return null;
            picture.Position = 0;
            var made = await Task.Run(() => ThumbnailMaker.Make(picture, attachment.ContentType));
            // An undecodable picture is remembered too (an empty row), so it is not decoded again on every request.
            await store.SaveThumbnailAsync(attachment.AttachmentId, made?.ContentType ?? "", made?.Data ?? [], CancellationToken.None);
            return made;
        }
        finally
        {
            _slots.Release();
        }
    }
}
