namespace Messenger.Node.Inbox;

/// <summary>
/// Inbox positions, the order clock and conversation numbers handed out to writes not yet applied (writes
/// pipeline). A rejected write gives its numbers back when nothing was reserved after it.
/// </summary>
public sealed class Reservations
{
    private readonly Dictionary<string, int> _newConversations = new(StringComparer.Ordinal);
    private long _seq;
    private long _clock;
    private int _conversationNumber;

    public void Reset(InboxState state)
    {
        _seq = state.Seq;
        _clock = state.Clock;
        _conversationNumber = state.MaxConversationNumber;
        _newConversations.Clear();
    }

    public long NextSeq() => _seq = checked(_seq + 1);

    /// <summary>Past everything this user has seen (its own stamps and messages received), not behind wall time.</summary>
    public long NextClock(long seen, DateTime now) => _clock = ConversationOrder.Next(Math.Max(_clock, seen), now);

    public int ConversationNumber(string peer, InboxState state)
    {
        if (state.ConversationWith(peer) is { } known) return known.Index;
        if (_newConversations.TryGetValue(peer, out var number)) return number;
        number = _conversationNumber = Math.Max(_conversationNumber, state.MaxConversationNumber) + 1;
        _newConversations[peer] = number;
        return number;
    }

    /// <summary>The write is applied: the state now knows the conversation.</summary>
    public void Applied(string peer) => _newConversations.Remove(peer);

    /// <summary>Gives back a rejected write's seq (if it was the last one handed out) and a conversation number no
    /// other write uses. A seq that cannot be given back stays unused; numbers travel inside events, so gaps are harmless.</summary>
    public void GiveBack(long seq, string? peer, bool peerStillWritten)
    {
        if (seq == _seq) _seq--;
        if (peer is null || peerStillWritten || !_newConversations.Remove(peer, out var number)) return;
        if (number == _conversationNumber) _conversationNumber--;
    }
}
