using Messenger.Messages.Chat;

namespace Messenger.Messages.Users;

/// <summary>What a user's inbox persists: its journal is the user's inbox. Past tense; never deleted.</summary>
public static class UserEvents
{
    public sealed record InboxOpened(string UserId, DateTime At) : IMessengerMessage;

    /// <summary>This user's copy of a message, at inbox position <see cref="Seq"/>.
    /// <see cref="AwaitingSenderCopy"/>: stored as recipient, the sender's copy not yet confirmed.
    /// <see cref="ConversationNumber"/>: the inbox's small number for the conversation (null in events written
    /// before it was carried: replay then numbers conversations in order of first message, as those writes did).</summary>
    public sealed record MessageStored(ChatMessage Message, long Seq, bool AwaitingSenderCopy, int? ConversationNumber = null)
        : IMessengerMessage;

    /// <summary>A message this user received is withdrawn at inbox position <see cref="Seq"/> (a new position, so
    /// devices and sync learn of it in inbox order): its sender's copy holds another message under its key.</summary>
    public sealed record MessageRetracted(ChatMessage Message, long Seq) : IMessengerMessage;

    /// <summary>Senders confirmed their copies of these incoming messages (batched to keep writes cheap).</summary>
    public sealed record SenderCopiesConfirmed(IReadOnlyList<Guid> MessageIds) : IMessengerMessage;

    public sealed record ReadMarkerMoved(string ConversationId, string UpTo) : IMessengerMessage;
}
