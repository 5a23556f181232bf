using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using static Messenger.Messages.Users.UserCommands;
using static Messenger.Messages.Users.UserReplies;

namespace Messenger.Node.Inbox;

/// <summary>The recipient's side: store first, push, owe the sender's copy until confirmed (or retracted).</summary>
public sealed partial class InboxCore
{
    private void StoreAsRecipient(ChatMessage message, object? replyTo, List<InboxEffect> fx)
    {
        if (!State.Opened)
        {
            fx.Add(new InboxEffect.Reply(replyTo!, new Rejected(ErrorCodes.NotFound, "no such recipient", message.ClientMessageId)));
            return;
        }
        if (message.To != _me || message.From == _me)
        {
            fx.Add(new InboxEffect.Reply(replyTo!,
                new Rejected(ErrorCodes.InvalidRequest, "message is not addressed to this inbox", message.ClientMessageId)));
            return;
        }
        var key = new MessageKey(message.From, message.ClientMessageId);
        if (Known(key) is { } known)
        {
            // The copy held under the key answers; the sender compares it with what it asked for.
            fx.Add(new InboxEffect.Reply(replyTo!, known.Retracted
                ? Reused(message.ClientMessageId)
                : RecipientCopy(known.Message)));
            return;
        }
        if (_writing.TryGetValue(key, out var write))
        {
            write.Waiters.Add(new Waiter(replyTo, Answer.RecipientCopy));
            return;
        }
        if (State.ConversationWith(message.From) is not null
            && ParkedForStorage(key, new StoreRecipientCopy(_me, message), replyTo, message.ConversationId, fx)) return;

        WriteMessage(message, awaitingSenderCopy: true, [new Waiter(replyTo, Answer.RecipientCopy)], fx);
    }

    private void SenderCopyConfirmed(Guid messageId, List<InboxEffect> fx)
    {
        if (_owed.Confirm(messageId, State.AwaitingSenderCopy) && _owed.ConfirmedCount >= SenderCopyDriver.ConfirmationBatch)
            FlushConfirmations(fx);
    }

    private void FlushConfirmations(List<InboxEffect> fx)
    {
        if (_owed.ConfirmedCount == 0) return;
        fx.Add(new InboxEffect.Persist(new UserEvents.SenderCopiesConfirmed(_owed.TakeConfirmed())));
    }

    /// <summary>
    /// The sender's copy holds another message under this one's key: withdraw ours, visibly (a new inbox position).
    /// Only a copy still owed can be retracted; a confirmed one is in both copies and stays.
    /// </summary>
    private void Retract(Guid messageId, List<InboxEffect> fx)
    {
        if (!State.AwaitingSenderCopy.TryGetValue(messageId, out var message) || !_retracting.Add(messageId)) return;
        _owed.Forget(messageId);
        fx.Add(new InboxEffect.Persist(new UserEvents.MessageRetracted(message, _reserved.NextSeq())));
    }

    private void TickOwedCopies(DateTime now, List<InboxEffect> fx)
    {
        foreach (var message in _owed.Due(now, State.AwaitingSenderCopy))
            fx.Add(new InboxEffect.ToInbox(new StoreSenderCopy(message.From, message)));
        if (_owed.ConfirmationsDue(now)) FlushConfirmations(fx);
    }
}
