namespace Messenger.Messages.Users;

/// <summary>
/// Delivered and read receipts. Each user's inbox holds its own markers per conversation (delivered here, read as
/// <see cref="UserEvents.ReadMarkerMoved"/>) and its copy of the peer's; a marker is an order ("" = none) and only
/// moves forward.
/// </summary>
public static class ReceiptCommands
{
    /// <summary>A device of <see cref="UserId"/> holds every message of the inbox with seq ≤ <see cref="UpTo"/>.
    /// Answered with <see cref="ReceiptReplies.ReceivedMarked"/>.</summary>
    public sealed record MarkReceived(string UserId, long UpTo) : IWithUserId;

    /// <summary>To the peer's inbox (<see cref="UserId"/>): the markers of <see cref="Of"/> in the conversation are at
    /// least these. Always the full state, merged forward-only, so a lost one is healed by the next.</summary>
    public sealed record CopyPeerReceipt(string UserId, string ConversationId, string Of, string Delivered, string Read)
        : IWithUserId;

    /// <summary>To the inbox whose markers were copied (<see cref="UserId"/>): the peer's copy now holds at least these
    /// markers, so the copy need not be sent again.</summary>
    public sealed record CopyPeerReceiptStored(string UserId, string ConversationId, string Delivered, string Read) : IWithUserId
    {
        /// <summary>The member whose inbox holds the copy (groups: one copy per other member); null from older nodes.</summary>
        public string? By { get; init; }
    }
}

public static class ReceiptReplies
{
    /// <summary>The delivered markers the received moved are durable (or nothing had to move).</summary>
    public sealed record ReceivedMarked(string UserId, long UpTo) : IMessengerMessage;
}

public static class ReceiptEvents
{
    /// <summary>One received moved this user's delivered marker in these conversations.</summary>
    public sealed record DeliveredMarkersMoved(IReadOnlyList<DeliveredMove> Moves) : IMessengerMessage;

    public sealed record DeliveredMove(string ConversationId, string UpTo);

    /// <summary>Group conversations: this inbox's copies of other members' markers moved (each with
    /// <see cref="PeerReceiptCopied.Of"/>). Batched: one write at a time, copies arriving meanwhile ride in the next, so a
    /// busy group costs each member's inbox a few writes, not one per member per marker move.</summary>
    public sealed record MemberReceiptsCopied(IReadOnlyList<PeerReceiptCopied> Copies) : IMessengerMessage;

    /// <summary>This inbox's copy of the peer's markers in the conversation moved to these values.</summary>
    public sealed record PeerReceiptCopied(string ConversationId, string Delivered, string Read) : IMessengerMessage
    {
        /// <summary>Whose markers these are: a group member (null in 1:1 conversations, where it is the peer).</summary>
        public string? Of { get; init; }
    }
}
