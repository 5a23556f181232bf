using Messenger.Messages.Chat;
using static Messenger.Messages.Users.UserSnapshots;

namespace Messenger.Node.Attachments;

/// <summary>
/// The attachment ids one inbox's messages carry, with how many messages carry each: the download's access check
/// ("a user whose inbox holds a message carrying it"). Folded from MessageStored/MessageRetracted, kept in snapshots.
/// </summary>
public sealed class CarriedAttachments
{
    // Made on first use: most inboxes never carry a file, and every active inbox holds one of these.
    private Dictionary<Guid, int>? _messages;

    public int Count => _messages?.Count ?? 0;

    public bool Holds(Guid attachmentId) => _messages?.ContainsKey(attachmentId) == true;

    public void Stored(AttachmentList attachments)
    {
        if (attachments.Count == 0) return;
        _messages ??= new Dictionary<Guid, int>();
        foreach (var a in attachments) _messages[a.AttachmentId] = _messages.GetValueOrDefault(a.AttachmentId) + 1;
    }

    /// <summary>A withdrawn copy no longer gives access (unless another message still carries the file).</summary>
    public void Withdrawn(AttachmentList attachments)
    {
        if (_messages is null) return;
        foreach (var a in attachments)
        {
            if (!_messages.TryGetValue(a.AttachmentId, out var n)) continue;
            if (n <= 1) _messages.Remove(a.AttachmentId);
            else _messages[a.AttachmentId] = n - 1;
        }
    }

    public IReadOnlyList<CarriedAttachment> ToSnapshot() =>
        _messages is null ? [] : _messages.OrderBy(p => p.Key).Select(p => new CarriedAttachment(p.Key, p.Value)).ToList();

    public void Restore(IReadOnlyList<CarriedAttachment> carried)
    {
        _messages = carried.Count == 0 ? null : carried.ToDictionary(c => c.AttachmentId, c => c.Messages);
    }
}
