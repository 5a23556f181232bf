using Messenger.Messages.Chat;

namespace Messenger.Messages.Users;

/// <summary>Answers a user's inbox gives back to whoever asked: the edge, or another inbox in the saga.</summary>
public static class UserReplies
{
    public sealed record InboxReady(string UserId) : IMessengerMessage;

    /// <summary>The device gets live pushes from now on; <see cref="Seq"/> is the inbox position at that moment.</summary>
    public sealed record DeviceAttached(string UserId, long Seq) : IMessengerMessage;

    /// <summary>The message is durable in both copies.</summary>
    public sealed record MessageSent(ChatMessage Message) : IMessengerMessage;

    /// <summary>A request the inbox refused, with a contract error code.</summary>
    public sealed record Rejected(string Code, string Reason, Guid? ClientMessageId = null) : IMessengerMessage;

    /// <summary>Answer to <see cref="UserCommands.StoreRecipientCopy"/>: the message the recipient holds under the key
    /// (an earlier one when the key was used before). <see cref="RecipientDelivered"/>/<see cref="RecipientRead"/>: the
    /// recipient's receipt markers in the conversation (null from older nodes), so a lost receipt heals on the next send.</summary>
    public sealed record RecipientCopyStored(ChatMessage Message, string? RecipientDelivered = null, string? RecipientRead = null)
        : IMessengerMessage;

    public sealed record ReadMarked(string ConversationId, string UpTo) : IMessengerMessage;

    /// <summary>One conversation of the list. A group's has <see cref="Peer"/> = its conversation id, a
    /// <see cref="Group"/>, and its receipts in <see cref="MemberReceipts"/> (one per other member; the Peer*
    /// fields are 1:1 only).</summary>
    public sealed record ConversationSummary(
        string ConversationId, string Peer, InboxMessage LastMessage, int UnreadCount,
        string? PeerDelivered = null, string? PeerRead = null) : IMessengerMessage
    {
        public GroupSummary? Group { get; init; }

        public IReadOnlyList<MemberReceipt>? MemberReceipts { get; init; }
    }

    /// <summary>API.md Conversation's <c>"group":{"name","memberCount"}</c>, as this member's copy last saw it;
    /// <see cref="IsMember"/> is false once this user was removed or left (the copy stays readable).</summary>
    public sealed record GroupSummary(string Name, int MemberCount, bool IsMember) : IMessengerMessage;

    /// <summary>One other member's markers in a group conversation (null: none yet).</summary>
    public sealed record MemberReceipt(string UserId, string? Delivered, string? Read) : IMessengerMessage;

    public sealed record ConversationsPage(IReadOnlyList<ConversationSummary> Conversations) : IMessengerMessage;

    public sealed record HistoryPage(IReadOnlyList<InboxMessage> Messages, string? NextBefore) : IMessengerMessage;

    public sealed record InboxPage(IReadOnlyList<InboxMessage> Messages, long NextAfter) : IMessengerMessage;
}
