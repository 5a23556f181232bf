using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using static Messenger.Messages.Users.UserCommands;
using static Messenger.Messages.Users.UserReplies;

namespace Messenger.Node.Inbox;

/// <summary>
/// What waiters hear when an inbox cannot use its storage (its recovery or a write failed: the database is down or
/// unreachable from this node): <c>unavailable</c> at once, not silence until a deadline. A sender's inbox that hears
/// it from the recipient ends the send at once too (the recipient wrote nothing; the client retries with the same key).
/// </summary>
public static class StorageUnavailable
{
    /// <summary>The reason inboxes tell each other, the edge and clients: a storage failure, not a restart worth retrying at once.</summary>
    public const string Reason = RejectionReasons.StorageUnavailable;

    public static bool Is(Rejected rejected) => rejected is { Code: ErrorCodes.Unavailable, Reason: Reason };

    /// <summary>
    /// The answer for a command an inbox received while recovering when the recovery failed (Akka drops such commands):
    /// every command someone asks for (<paramref name="asked"/>: the edge's Ask) and the sender's request for the
    /// recipient's copy; null for what needs no answer (saga traffic the other side drives again, device attaches that
    /// retry by themselves).
    /// </summary>
    public static Rejected? AnswerFor(object command, bool asked) => command switch
    {
        SendMessage send => new Rejected(ErrorCodes.Unavailable, Reason, send.ClientMessageId),
        StoreRecipientCopy store => new Rejected(ErrorCodes.Unavailable, Reason, store.Message.ClientMessageId),
        _ when asked => new Rejected(ErrorCodes.Unavailable, Reason),
        _ => null,
    };
}
