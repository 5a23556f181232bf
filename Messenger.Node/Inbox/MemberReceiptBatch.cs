using Messenger.Messages.Users;

namespace Messenger.Node.Inbox;

/// <summary>
/// Copies of other group members' markers on their way into the journal: one write at a time, and every copy that
/// arrives meanwhile rides in the next one (merged forward per member). In a group each marker move of each member
/// reaches every other member, so writing one event per copy would cost a member's inbox a write per member per move.
/// The members whose copies wait hear <c>CopyPeerReceiptStored</c> once the write holding their copy is durable; a
/// refused write answers nobody (they send their copy again on their tick).
/// </summary>
public sealed class MemberReceiptBatch
{
    private readonly Dictionary<(string ConversationId, string Of), (string Delivered, string Read)> _next = new();
    private readonly List<(string ConversationId, string Of, object Source)> _nextSources = new();
    private List<(string ConversationId, string Of, object Source)> _writingSources = new();

    public bool Writing { get; private set; }

    /// <summary>Copies waiting or being written.</summary>
    public int Count => _next.Count + (Writing ? 1 : 0);

    public void Add(string conversationId, string of, string delivered, string read, object? source)
    {
        var key = (conversationId, of);
        _next[key] = _next.TryGetValue(key, out var held) ? (Max(held.Delivered, delivered), Max(held.Read, read)) : (delivered, read);
        if (source is not null) _nextSources.Add((conversationId, of, source));
    }

    /// <summary>The next write, when none is in flight and copies wait.</summary>
    public ReceiptEvents.MemberReceiptsCopied? Take()
    {
        if (Writing || _next.Count == 0) return null;
        var copies = _next.Select(e => new ReceiptEvents.PeerReceiptCopied(e.Key.ConversationId, e.Value.Delivered, e.Value.Read)
            { Of = e.Key.Of }).ToList();
        _next.Clear();
        _writingSources = [.. _nextSources];
        _nextSources.Clear();
        Writing = true;
        return new ReceiptEvents.MemberReceiptsCopied(copies);
    }

    /// <summary>The write is durable (true) or refused: who waited on it.</summary>
    public List<(string ConversationId, string Of, object Source)> Done()
    {
        Writing = false;
        var sources = _writingSources;
        _writingSources = new();
        return sources;
    }

    private static string Max(string a, string b) => string.CompareOrdinal(a, b) >= 0 ? a : b;
}
