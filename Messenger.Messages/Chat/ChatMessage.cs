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

    /// <summary>Null for a text message, else one of <see cref="MessageKinds"/> (group membership events).</summary>
    public string? Kind { get; init; }

    /// <summary>The member a membership event concerns (null for group_created and group_renamed).</summary>
    public string? Subject { get; init; }

    /// <summary>Membership events only: the group after the event (internal; not part of the client's Message).</summary>
    public Groups.GroupRoster? Roster { get; init; }

    public bool IsGroup => Chat.ConversationId.IsGroup(ConversationId);

    /// <summary>Who this message is "with" for <paramref name="me"/>: the other user of a 1:1 conversation, the
    /// group's conversation id for a group message (inbox state keys its conversations by this).</summary>
    public string PeerOf(string me) => IsGroup ? ConversationId : From == me ? To : From;
}

/// <summary>A message in one user's inbox: the shared message plus its position in that inbox.
/// <see cref="Retracted"/>: the message was withdrawn (see <see cref="Users.UserEvents.MessageRetracted"/>); at its
/// own seq it marks the withdrawal, on the original copy it says the message no longer counts.</summary>
public sealed record InboxMessage(ChatMessage Message, long Seq, bool Retracted = false) : IMessengerMessage;
