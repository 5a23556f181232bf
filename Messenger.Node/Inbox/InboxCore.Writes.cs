using Messenger.Messages.Chat;
using Messenger.Messages.Devices;
using Messenger.Messages.Users;
using static Messenger.Messages.Users.UserCommands;
using static Messenger.Messages.Users.UserReplies;

namespace Messenger.Node.Inbox;

/// <summary>Writes and their outcomes: applied (answer, push, confirm), refused (answer unavailable, give back), or cut off.</summary>
public sealed partial class InboxCore
{
    private void WriteMessage(ChatMessage message, bool awaitingSenderCopy, List<Waiter> waiters, List<InboxEffect> fx)
    {
        var peer = message.PeerOf(_me);
        var stored = new UserEvents.MessageStored(
            message, _reserved.NextSeq(), awaitingSenderCopy, _reserved.ConversationNumber(peer, State));
        var write = new MessageWrite(stored);
        write.Waiters.AddRange(waiters);
        _writing[new MessageKey(message.From, message.ClientMessageId)] = write;
        fx.Add(new InboxEffect.Persist(stored));
    }

    /// <summary>The journal took the event: apply it, then answer, push and move the saga on.</summary>
    public List<InboxEffect> Persisted(object evt, long journalSequenceNr, DateTime now)
    {
        var fx = new List<InboxEffect>();
        State.Apply(evt, journalSequenceNr);
        switch (evt)
        {
            case UserEvents.MessageStored stored:
                MessageApplied(stored, now, fx);
                break;
            case UserEvents.MessageRetracted retracted:
                _retracting.Remove(retracted.Message.MessageId);
                fx.Add(new InboxEffect.PushToDevices(new DeviceFrames.Deliver(new InboxMessage(retracted.Message, retracted.Seq, Retracted: true))));
                break;
            case UserEvents.InboxOpened:
                if (_otherWrites.Remove(evt, out var opener) && opener is not null) fx.Add(new InboxEffect.Reply(opener, new InboxReady(_me)));
                break;
            case UserEvents.ReadMarkerMoved moved:
                if (_otherWrites.Remove(evt, out var reader) && reader is not null)
                    fx.Add(new InboxEffect.Reply(reader, new ReadMarked(moved.ConversationId, moved.UpTo)));
                OwnMarkersMoved(moved.ConversationId, now, fx);
                break;
            default:
                ReceiptPersisted(evt, now, fx);
                break;
        }
        return fx;
    }

    private void MessageApplied(UserEvents.MessageStored stored, DateTime now, List<InboxEffect> fx)
    {
        var message = stored.Message;
        _reserved.Applied(message.PeerOf(_me));
        _writing.Remove(new MessageKey(message.From, message.ClientMessageId), out var write);
        if (message.IsGroup)
        {
            fx.Add(new InboxEffect.PushToDevices(new DeviceFrames.Deliver(new InboxMessage(message, stored.Seq))));
            GroupCopyApplied(message, write, fx);
            return;
        }
        var senderAnswered = false;
        foreach (var w in write?.Waiters ?? [])
        {
            if (w.To is null) continue;
            switch (w.Kind)
            {
                case Answer.Sent: fx.Add(new InboxEffect.Reply(w.To, new MessageSent(message))); break;
                case Answer.RecipientCopy: fx.Add(new InboxEffect.Reply(w.To, RecipientCopy(message))); break;
                case Answer.SenderCopy:
                    fx.Add(new InboxEffect.Reply(w.To, new SenderCopyStored(message.To, message.MessageId)));
                    senderAnswered = true;
                    break;
            }
        }
        fx.Add(new InboxEffect.PushToDevices(new DeviceFrames.Deliver(new InboxMessage(message, stored.Seq))));
        if (message.From == _me)
        {
            if (!senderAnswered) fx.Add(new InboxEffect.ToInbox(new SenderCopyStored(message.To, message.MessageId)));
            foreach (var (loser, recipient) in write?.Losers ?? [])
                fx.Add(AnswerRecipient(recipient, new RetractRecipientCopy(loser.To, loser.MessageId)));
            SettlePending(message, fx);
        }
        else if (stored.AwaitingSenderCopy)
        {
            _owed.Owe(message.MessageId, now);
        }
    }

    /// <summary>
    /// The journal refused the event (it was never written): whoever waits hears <c>unavailable</c> and retries; the
    /// reserved position and conversation number go back when nothing was reserved after them.
    /// </summary>
    public List<InboxEffect> PersistRejected(object evt, DateTime now)
    {
        var fx = new List<InboxEffect>();
        switch (evt)
        {
            case UserEvents.MessageStored stored:
            {
                var message = stored.Message;
                var key = new MessageKey(message.From, message.ClientMessageId);
                _writing.Remove(key, out var write);
                var answer = UnavailableFor(message.ClientMessageId, "the inbox could not store the message");
                // The recipient and the group drive their copies again by themselves: no answer to them.
                foreach (var w in write?.Waiters ?? [])
                    if (w.To is not null && w.Kind is Answer.Sent or Answer.RecipientCopy) fx.Add(new InboxEffect.Reply(w.To, answer));
                if (message.From == _me) SettlePendingUnavailable(message.ClientMessageId, answer, fx);
                var peer = message.PeerOf(_me);
                _reserved.GiveBack(stored.Seq, peer, _writing.Values.Any(w => w.Stored.Message.PeerOf(_me) == peer));
                break;
            }
            case UserEvents.MessageRetracted retracted:
                // Still owed: the recipient drives the sender's copy again, and the sender answers with the retraction again.
                _retracting.Remove(retracted.Message.MessageId);
                _owed.Owe(retracted.Message.MessageId, now);
                _reserved.GiveBack(retracted.Seq, null, false);
                break;
            case UserEvents.SenderCopiesConfirmed confirmed:
                _owed.ConfirmationsLost(confirmed.MessageIds, now);
                break;
            case ReceiptEvents.MemberReceiptsCopied:
                MemberCopiesRefused(fx);
                break;
            default:
                if (_otherWrites.Remove(evt, out var waiter) && waiter is not null)
                    fx.Add(new InboxEffect.Reply(waiter, new Rejected(ErrorCodes.Unavailable, "the inbox could not store the change; retry")));
                break;
        }
        return fx;
    }

    private void SettlePendingUnavailable(Guid clientMessageId, Rejected answer, List<InboxEffect> fx)
    {
        if (_sends.Take(clientMessageId) is not { } pending) return;
        foreach (var w in pending.Waiters) fx.Add(new InboxEffect.Reply(w, answer));
    }

    /// <summary>The inbox's one periodic tick: send retries and deadlines, owed sender copies, batched confirmations.</summary>
    public List<InboxEffect> Tick(DateTime now)
    {
        var fx = new List<InboxEffect>();
        TickSends(now, fx);
        TickOwedCopies(now, fx);
        foreach (var copy in _copies.Due(now)) fx.Add(new InboxEffect.ToInbox(copy));
        return fx;
    }

    /// <summary>This incarnation stops: everyone still waiting hears a clean <c>unavailable</c> (they retry with the same
    /// key); after a storage failure with <see cref="StorageUnavailable.Reason"/>, so a sender's inbox ends its send at once.</summary>
    public List<InboxEffect> Stopped(bool storageFailed = false)
    {
        var fx = new List<InboxEffect>();
        void Tell(object? to, Guid? key, string reason)
        {
            if (to is not null) fx.Add(new InboxEffect.Reply(to, new Rejected(ErrorCodes.Unavailable, reason, key)));
        }
        var restarted = storageFailed ? StorageUnavailable.Reason : "the inbox restarted; retry with the same clientMessageId";
        foreach (var p in _sends.All)
        foreach (var w in p.Waiters) Tell(w, p.Message.ClientMessageId, restarted);
        foreach (var write in _writing.Values)
        foreach (var w in write.Waiters.Where(w => w.Kind is Answer.Sent or Answer.RecipientCopy))
            Tell(w.To, write.Stored.Message.ClientMessageId, restarted);
        foreach (var (key, command, replyTo) in _lookups.Parked)
            if (command is SendMessage or StoreRecipientCopy) Tell(replyTo, key.ClientMessageId, restarted);
        foreach (var waiter in _otherWrites.Values) Tell(waiter, null, "the inbox restarted; retry");
        return fx;
    }
}
