namespace Messenger.Messages.Chat;

/// <summary>
/// One message as both participants hold it: identical in the sender's and the recipient's copy.
/// <see cref="Order"/> is the conversation order (ordinal sort), stamped once by the sender's inbox.
/// </summary>
public sealed record ChatMessage(
    Guid MessageId,
    Guid ClientMessageId,
    string ConversationId,
    string From,
    string To,
    string Body,
    DateTime SentAt,
    string Order) : IMessengerMessage
{
    /// <summary>The files this message carries (API.md "Attachments"); the same in both copies.</summary>
    public AttachmentList Attachments { get; init; } = AttachmentList.Empty;

    public string PeerOf(string me) => From == me ? To : From;
}

/// <summary>A message in one user's inbox: the shared message plus its position in that inbox.
/// <see cref="Retracted"/>: the message was withdrawn (see <see cref="Users.UserEvents.MessageRetracted"/>); at its
/// own seq it marks the withdrawal, on the original copy it says the message no longer counts.</summary>
public sealed record InboxMessage(ChatMessage Message, long Seq, bool Retracted = false) : IMessengerMessage;
