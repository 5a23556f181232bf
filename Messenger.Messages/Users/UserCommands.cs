using Akka.Actor;
using Messenger.Messages.Chat;

namespace Messenger.Messages.Users;

/// <summary>Commands a user's inbox accepts: from the edge (HTTP/WebSocket) and from other inboxes (the send saga).</summary>
public static class UserCommands
{
    /// <summary>Marks the inbox as belonging to a registered account; idempotent.</summary>
    public sealed record OpenInbox(string UserId) : IWithUserId;

    /// <summary>The authenticated user sends a message (phase 0 of the saga: stamp, then receiver first).</summary>
    public sealed record SendMessage(string UserId, Guid ClientMessageId, string To, string Body) : IWithUserId
    {
        /// <summary>Resolved by the edge (the sender's own uploads, marked carried); copied into the message.</summary>
        public AttachmentList Attachments { get; init; } = AttachmentList.Empty;
    }

    /// <summary>Send saga, first half: the sender's inbox asks the recipient's (<see cref="UserId"/>) to store its copy.
    /// Answered with <see cref="UserReplies.RecipientCopyStored"/> (the copy the recipient holds under the key).</summary>
    public sealed record StoreRecipientCopy(string UserId, ChatMessage Message) : IWithUserId;

    /// <summary>Send saga, second half, driven by the recipient when the sender did not confirm its copy in time
    /// (crash, restart, deadline). Answered with <see cref="SenderCopyStored"/> or <see cref="RetractRecipientCopy"/>.</summary>
    public sealed record StoreSenderCopy(string UserId, ChatMessage Message) : IWithUserId;

    /// <summary>To the recipient (<see cref="UserId"/>): the sender's copy of this message is durable; stop driving it.</summary>
    public sealed record SenderCopyStored(string UserId, Guid MessageId) : IWithUserId;

    /// <summary>To the recipient (<see cref="UserId"/>): the sender's copy holds a different message under this message's
    /// idempotency key (the key was reused after an <c>unavailable</c>), so the recipient's copy is withdrawn.</summary>
    public sealed record RetractRecipientCopy(string UserId, Guid MessageId) : IWithUserId;

    /// <summary>
    /// Group fan-out (from the group's entity): store this member's copy of a group message or membership event,
    /// idempotently per (From, ClientMessageId). The receiving inbox answers the group with
    /// <see cref="Groups.GroupCommands.GroupCopyStored"/> (told to the sender of this command). When
    /// <see cref="UserId"/> is the message's sender and it has a pending group send under the key, the write also
    /// answers that send's waiters <see cref="UserReplies.MessageSent"/> (the sender's copy is written last).
    /// </summary>
    public sealed record StoreGroupCopy(string UserId, ChatMessage Message) : IWithUserId;

    /// <summary>Moves the read marker of a conversation forward (never back).</summary>
    public sealed record MarkRead(string UserId, string ConversationId, string UpTo) : IWithUserId;

    /// <summary>A connected device (the WebSocket bridge's outbound actor) wants live pushes.</summary>
    public sealed record AttachDevice(string UserId, IActorRef Device) : IWithUserId;

    public sealed record DetachDevice(string UserId, IActorRef Device) : IWithUserId;
}
