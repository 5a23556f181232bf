namespace Messenger.Messages.Users;

/// <summary>
/// One conversation's receipt markers in an inbox snapshot (part of <see cref="UserSnapshots.InboxSnapshot"/>).
/// <see cref="Delivered"/>: this user's own; <see cref="PeerDelivered"/>/<see cref="PeerRead"/>: this inbox's copy of
/// the peer's. The peer messages above <see cref="Delivered"/> (seq, order), kept so a received finds its target
/// without storage; <see cref="OverflowSeq"/>/<see cref="OverflowOrder"/>: the highest seq and order of those that no
/// longer fit in the list (0/"" when none).
/// </summary>
public sealed record ConversationReceiptsState(
    string Peer,
    string ConversationId,
    string Delivered,
    string PeerDelivered,
    string PeerRead,
    IReadOnlyList<long> UndeliveredSeqs,
    IReadOnlyList<string> UndeliveredOrders,
    long OverflowSeq,
    string OverflowOrder)
{
    /// <summary>Group conversations: this inbox's copy of each other member's markers (empty in 1:1 ones).</summary>
    public IReadOnlyList<MemberMarkersState> Members { get; init; } = [];
}

/// <summary>One group member's delivered and read markers as another member's inbox holds them ("" = none).</summary>
public sealed record MemberMarkersState(string UserId, string Delivered, string Read);
