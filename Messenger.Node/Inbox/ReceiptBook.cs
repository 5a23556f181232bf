using Messenger.Messages.Chat;
using Messenger.Messages.Users;

namespace Messenger.Node.Inbox;

/// <summary>
/// The receipt markers of every conversation of one inbox, folded from persisted events by <see cref="InboxState"/>
/// (pure: replay rebuilds it exactly). Keyed by peer, apart from the conversation summaries, because the peer's
/// markers can arrive before this inbox holds the conversation's first message (the recipient's copy is written first).
/// </summary>
public sealed class ReceiptBook
{
    private readonly Dictionary<string, ConversationReceipts> _byPeer = new(StringComparer.Ordinal);

    /// <summary>Conversations with peer messages above the delivered marker: the only ones a received looks at.</summary>
    private readonly HashSet<ConversationReceipts> _undelivered = new(ReferenceEqualityComparer.Instance);

    public ConversationReceipts? Of(string peer) => _byPeer.GetValueOrDefault(peer);

    public IReadOnlyCollection<ConversationReceipts> All => _byPeer.Values;

    private ConversationReceipts GetOrAdd(string peer, string conversationId)
    {
        if (!_byPeer.TryGetValue(peer, out var receipts)) _byPeer.Add(peer, receipts = new ConversationReceipts(peer, conversationId));
        return receipts;
    }

    /// <summary>
    /// A message was stored. Sending moves the sender's own delivered marker with its read marker (the v0 rule), so
    /// <paramref name="readMarker"/> is the conversation's read marker after the store. A peer message waits to be
    /// delivered, and its sender read (and holds) the conversation up to it, so the copy of the peer's markers moves.
    /// </summary>
    public void Stored(ChatMessage message, long seq, string me, string readMarker)
    {
        var peer = message.PeerOf(me);
        var receipts = GetOrAdd(peer, message.ConversationId);
        // Group membership events are no delivered targets and move nobody's markers.
        if (!MessageKinds.IsText(message.Kind)) return;
        if (message.From == me)
        {
            MoveDelivered(receipts, readMarker);
            return;
        }
        receipts.PeerMessageStored(seq, message.Order);
        if (message.IsGroup) receipts.MergeMember(message.From, message.Order, message.Order);
        else receipts.MergePeer(message.Order, message.Order);
        Track(receipts);
    }

    public void Retracted(ChatMessage message, string me)
    {
        if (message.From == me || message.IsGroup || Of(message.From) is not { } receipts) return;
        receipts.PeerMessageRetracted(message.Order);
        Track(receipts);
    }

    /// <summary>The read marker moved: delivered moves up to it.</summary>
    public void Read(string peer, string conversationId, string upTo) => MoveDelivered(GetOrAdd(peer, conversationId), upTo);

    public void Apply(ReceiptEvents.DeliveredMarkersMoved moved, string me)
    {
        foreach (var move in moved.Moves)
            if (ConversationKey.Of(move.ConversationId, me) is { } peer)
                MoveDelivered(GetOrAdd(peer, move.ConversationId), move.UpTo);
    }

    public void Apply(ReceiptEvents.PeerReceiptCopied copied, string me)
    {
        if (ConversationId.IsGroup(copied.ConversationId))
        {
            if (copied.Of is { } member && member != me)
                GetOrAdd(copied.ConversationId, copied.ConversationId).MergeMember(member, copied.Delivered, copied.Read);
            return;
        }
        if (ConversationId.PeerOf(copied.ConversationId, me) is { } peer)
            GetOrAdd(peer, copied.ConversationId).MergePeer(copied.Delivered, copied.Read);
    }

    /// <summary>Where a received up to inbox position <paramref name="upTo"/> moves delivered markers.</summary>
    public List<ReceiptEvents.DeliveredMove> DeliveredMoves(long upTo)
    {
        var moves = new List<ReceiptEvents.DeliveredMove>();
        foreach (var receipts in _undelivered)
            if (receipts.DeliveredTarget(upTo) is { } target)
                moves.Add(new ReceiptEvents.DeliveredMove(receipts.ConversationId, target));
        return moves;
    }

    private void MoveDelivered(ConversationReceipts receipts, string upTo)
    {
        receipts.MoveDelivered(upTo);
        Track(receipts);
    }

    private void Track(ConversationReceipts receipts)
    {
        if (receipts.HasUndelivered) _undelivered.Add(receipts);
        else _undelivered.Remove(receipts);
    }

    public List<ConversationReceiptsState> ToSnapshot() =>
        _byPeer.Values.Select(r => new ConversationReceiptsState(
            r.Peer, r.ConversationId, r.Delivered, r.PeerDelivered, r.PeerRead,
            r.Undelivered.Select(e => e.Seq).ToArray(), r.Undelivered.Select(e => e.Order).ToArray(),
            r.OverflowSeq, r.OverflowOrder)
        {
            Members = r.Members.Select(m => new MemberMarkersState(m.Key, m.Value.Delivered, m.Value.Read)).ToList(),
        }).ToList();

    /// <summary>
    /// From a snapshot; one written before receipts (<paramref name="saved"/> null) starts each conversation's delivered
    /// marker at its read marker, and a newer last message from the peer counts as waiting (its seq covers the rest).
    /// </summary>
    public void Restore(IReadOnlyList<ConversationReceiptsState>? saved, IEnumerable<Conversation> conversations, string me)
    {
        _byPeer.Clear();
        _undelivered.Clear();
        if (saved is null)
        {
            foreach (var c in conversations)
            {
                var receipts = GetOrAdd(c.Peer, c.ConversationId);
                var last = c.LastMessage;
                var waiting = last is not null && last.Message.From != me && string.CompareOrdinal(last.Message.Order, c.ReadMarker) > 0;
                receipts.Restore(c.ReadMarker, string.Empty, string.Empty, [],
                    waiting ? last!.Seq : 0, waiting ? last!.Message.Order : string.Empty);
                Track(receipts);
            }
            return;
        }
        foreach (var s in saved)
        {
            var receipts = GetOrAdd(s.Peer, s.ConversationId);
            receipts.Restore(s.Delivered, s.PeerDelivered, s.PeerRead, s.UndeliveredSeqs.Zip(s.UndeliveredOrders),
                s.OverflowSeq, s.OverflowOrder);
            receipts.RestoreMembers(s.Members.Select(m => (m.UserId, m.Delivered, m.Read)));
            Track(receipts);
        }
    }
}
