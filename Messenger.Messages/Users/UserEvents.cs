using Messenger.Messages.Chat;

namespace Messenger.Messages.Users;

/// <summary>What a user's inbox persists: its journal is the user's inbox. Past tense; never deleted.</summary>
public static class UserEvents
{
    public sealed record InboxOpened(string UserId, DateTime At) : IMessengerMessage;

    /// <summary>This user's copy of a message, at inbox position <see cref="Seq"/>.
    /// <see cref="AwaitingSenderCopy"/>: stored as recipient, the sender's copy not yet confirmed.</summary>
    public sealed record MessageStored(ChatMessage Message, long Seq, bool AwaitingSenderCopy) : IMessengerMessage;

    /// <summary>Senders confirmed their copies of these incoming messages (batched to keep writes cheap).</summary>
    public sealed record SenderCopiesConfirmed(IReadOnlyList<Guid> MessageIds) : IMessengerMessage;

    public sealed record ReadMarkerMoved(string ConversationId, string UpTo) : IMessengerMessage;
}
