using static Messenger.Messages.Users.ReceiptCommands;

namespace Messenger.Node.Inbox;

/// <summary>
/// Copies of this user's markers sent to peers and not yet acknowledged, one per conversation (a newer copy replaces
/// an older one: each carries the full markers). Due ones go again with doubling delays; after a few attempts the
/// copy is dropped (the peer's inbox is gone for now) and the next marker move or message heals it.
/// Kept in memory only: an inbox that stops forgets them the same way.
/// </summary>
public sealed class ReceiptCopies
{
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(2);
    public const int Attempts = 5;

    private readonly Dictionary<string, Entry> _byConversation = new(StringComparer.Ordinal);

    private sealed record Entry(CopyPeerReceipt Copy, DateTime Due, int Attempt);

    public int Count => _byConversation.Count;

    // One entry per conversation and receiving inbox: a group's copies go to every other member.
    private static string Key(string conversationId, string to) => conversationId + "\n" + to;

    public void Sent(CopyPeerReceipt copy, DateTime now) =>
        _byConversation[Key(copy.ConversationId, copy.UserId)] = new Entry(copy, now + FirstRetry, 1);

    /// <summary>The inbox of <paramref name="by"/> holds at least these markers: a copy they cover is done.</summary>
    public void Confirmed(string conversationId, string by, string delivered, string read)
    {
        var key = Key(conversationId, by);
        if (_byConversation.TryGetValue(key, out var entry)
            && string.CompareOrdinal(delivered, entry.Copy.Delivered) >= 0 && string.CompareOrdinal(read, entry.Copy.Read) >= 0)
            _byConversation.Remove(key);
    }

    public List<CopyPeerReceipt> Due(DateTime now)
    {
        var due = new List<CopyPeerReceipt>();
        foreach (var (key, entry) in _byConversation.ToList())
        {
            if (entry.Due > now) continue;
            if (entry.Attempt >= Attempts)
            {
                _byConversation.Remove(key);
                continue;
            }
            due.Add(entry.Copy);
            _byConversation[key] = entry with
            {
                Due = now + TimeSpan.FromTicks(FirstRetry.Ticks << entry.Attempt), Attempt = entry.Attempt + 1,
            };
        }
        return due;
    }
}
