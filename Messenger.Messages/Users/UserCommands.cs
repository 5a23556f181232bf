using Akka.Actor;
using Messenger.Messages.Chat;

namespace Messenger.Messages.Users;

/// <summary>Commands a user's inbox accepts: from the edge (HTTP/WebSocket) and from other inboxes (the send saga).</summary>
public static class UserCommands
{
    /// <summary>Marks the inbox as belonging to a registered account; idempotent.</summary>
    public sealed record OpenInbox(string UserId) : IWithUserId;

    /// <summary>The authenticated user sends a message (phase 0 of the saga: stamp, then receiver first).</summary>
    public sealed record SendMessage(string UserId, Guid ClientMessageId, string To, string Body) : IWithUserId;

    /// <summary>Saga phase 1: the recipient stores its copy. The recipient's answer is final for (from, clientMessageId).</summary>
    public sealed record StoreIncoming(string UserId, ChatMessage Message) : IWithUserId;

    /// <summary>Saga phase 2 driven by the recipient when the sender did not confirm its copy (crash, restart).</summary>
    public sealed record StoreOutgoing(string UserId, ChatMessage Message) : IWithUserId;

    /// <summary>The sender tells the recipient its copy is durable, so the recipient stops driving it.</summary>
    public sealed record ConfirmSenderCopy(string UserId, Guid MessageId) : IWithUserId;

    /// <summary>Moves the read marker of a conversation forward (never back).</summary>
    public sealed record MarkRead(string UserId, string ConversationId, string UpTo) : IWithUserId;

    /// <summary>A connected device (the WebSocket bridge's outbound actor) wants live pushes.</summary>
    public sealed record AttachDevice(string UserId, IActorRef Device) : IWithUserId;

    public sealed record DetachDevice(string UserId, IActorRef Device) : IWithUserId;
}
