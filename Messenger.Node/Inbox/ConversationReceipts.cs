namespace Messenger.Node.Inbox;

/// <summary>
/// The receipt markers of one conversation in one user's inbox: the user's own delivered marker (the read marker is
/// <see cref="Conversation.ReadMarker"/>) and this inbox's copy of the peer's delivered and read. Markers are orders,
/// "" for none, and only move forward.
/// <para>
/// To answer a received (a seq) without storage it keeps the peer messages above the delivered marker as (seq, order)
/// in seq order: usually a handful, since devices acknowledge what they hold. Past <see cref="UndeliveredKept"/> the
/// oldest fold into one overflow entry (highest seq, highest order), which counts once a received covers its seq.
/// </para>
/// </summary>
public sealed class ConversationReceipts(string peer, string conversationId)
{
    public const int UndeliveredKept = 256;

    private readonly List<(long Seq, string Order)> _undelivered = new();

    /// <summary>Group conversations: the copy of each other member's (delivered, read), in place of the Peer* pair.</summary>
    private readonly Dictionary<string, (string Delivered, string Read)> _members = new(StringComparer.Ordinal);

    public string Peer { get; } = peer;
    public string ConversationId { get; } = conversationId;
    public string Delivered { get; private set; } = string.Empty;
    public string PeerDelivered { get; private set; } = string.Empty;
    public string PeerRead { get; private set; } = string.Empty;
    public long OverflowSeq { get; private set; }
    public string OverflowOrder { get; private set; } = string.Empty;

    public IReadOnlyList<(long Seq, string Order)> Undelivered => _undelivered;

    /// <summary>Some peer message this user holds is above the delivered marker.</summary>
    public bool HasUndelivered => _undelivered.Count > 0 || OverflowOrder.Length > 0;

    /// <summary>A peer message arrived at <paramref name="seq"/>; one at or below the marker already counts as delivered.</summary>
    public void PeerMessageStored(long seq, string order)
    {
        if (!Later(order, Delivered)) return;
        _undelivered.Add((seq, order));
        if (_undelivered.Count <= UndeliveredKept) return;
        var (oldSeq, oldOrder) = _undelivered[0];
        _undelivered.RemoveAt(0);
        OverflowSeq = Math.Max(OverflowSeq, oldSeq);
        if (Later(oldOrder, OverflowOrder)) OverflowOrder = oldOrder;
    }

    /// <summary>A peer message was withdrawn: it no longer waits to be delivered.</summary>
    public void PeerMessageRetracted(string order) => _undelivered.RemoveAll(e => e.Order == order);

    /// <summary>The delivered marker a received up to <paramref name="upTo"/> reaches; null when it does not move.</summary>
    public string? DeliveredTarget(long upTo)
    {
        var target = OverflowOrder.Length > 0 && OverflowSeq <= upTo ? OverflowOrder : string.Empty;
        foreach (var (seq, order) in _undelivered)
        {
            if (seq > upTo) break;
            if (Later(order, target)) target = order;
        }
        return Later(target, Delivered) ? target : null;
    }

    /// <summary>Forward only; true when it moved.</summary>
    public bool MoveDelivered(string upTo)
    {
        if (!Later(upTo, Delivered)) return false;
        Delivered = upTo;
        _undelivered.RemoveAll(e => !Later(e.Order, upTo));
        if (!Later(OverflowOrder, upTo))
        {
            OverflowOrder = string.Empty;
            OverflowSeq = 0;
        }
        return true;
    }

    /// <summary>Merges the peer's markers forward (read implies delivered); true when the copy moved.</summary>
    public bool MergePeer(string delivered, string read)
    {
        var moved = false;
        if (Later(read, PeerRead))
        {
            PeerRead = read;
            moved = true;
        }
        var atLeast = Later(PeerRead, delivered) ? PeerRead : delivered;
        if (Later(atLeast, PeerDelivered))
        {
            PeerDelivered = atLeast;
            moved = true;
        }
        return moved;
    }

    public IReadOnlyDictionary<string, (string Delivered, string Read)> Members => _members;

    /// <summary>A group member's markers as this copy holds them ("" = none).</summary>
    public (string Delivered, string Read) MemberMarkers(string userId) => _members.GetValueOrDefault(userId, ("", ""));

    /// <summary>Merges a group member's markers forward (read implies delivered); true when the copy moved.</summary>
    public bool MergeMember(string userId, string delivered, string read)
    {
        var (oldDelivered, oldRead) = MemberMarkers(userId);
        var newRead = Later(read, oldRead) ? read : oldRead;
        var atLeast = Later(newRead, delivered) ? newRead : delivered;
        var newDelivered = Later(atLeast, oldDelivered) ? atLeast : oldDelivered;
        if (newRead == oldRead && newDelivered == oldDelivered) return false;
        _members[userId] = (newDelivered, newRead);
        return true;
    }

    public bool WouldMoveMember(string userId, string delivered, string read)
    {
        var (d, r) = MemberMarkers(userId);
        return Later(read, r) || Later(delivered, d) || Later(read, d);
    }

    internal void RestoreMembers(IEnumerable<(string UserId, string Delivered, string Read)> members)
    {
        _members.Clear();
        foreach (var (userId, delivered, read) in members) _members[userId] = (delivered, read);
    }

    /// <summary>Whether merging these peer markers would move the copy.</summary>
    public bool WouldMovePeer(string delivered, string read) =>
        Later(read, PeerRead) || Later(delivered, PeerDelivered) || Later(read, PeerDelivered);

    internal void Restore(string delivered, string peerDelivered, string peerRead,
        IEnumerable<(long Seq, string Order)> undelivered, long overflowSeq, string overflowOrder)
    {
        Delivered = delivered;
        PeerDelivered = peerDelivered;
        PeerRead = peerRead;
        _undelivered.Clear();
        _undelivered.AddRange(undelivered);
        OverflowSeq = overflowSeq;
        OverflowOrder = overflowOrder;
    }

    private static bool Later(string order, string than) => string.CompareOrdinal(order, than) > 0;
}
