using Akka.Actor;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using static Messenger.Messages.Users.UserCommands;
using static Messenger.Messages.Users.UserReplies;

namespace Messenger.Node.Inbox;

/// <summary>The recipient side of the saga: store first, push to devices, and own the sender's copy until confirmed.</summary>
public sealed partial class UserInbox
{
    private const int ConfirmationBatch = 256;

    private void StoreIncomingCopy(StoreIncoming store)
    {
        var message = store.Message;
        if (!_state.Opened)
        {
            Sender.Tell(new Rejected(ErrorCodes.NotFound, "no such recipient", message.ClientMessageId));
            return;
        }
        if (message.To != _userId || message.From == _userId)
        {
            Sender.Tell(new Rejected(ErrorCodes.InvalidRequest, "message is not addressed to this inbox", message.ClientMessageId));
            return;
        }
        var key = (message.From, message.ClientMessageId);
        if (_state.FindRecent(message.From, message.ClientMessageId) is { } known)
        {
            Sender.Tell(new IncomingStored(known.Message));
            return;
        }
        if (_inflight.TryGetValue(key, out var waiters))
        {
            waiters.Add(new Waiter(Sender, ReplyKind.IncomingStored));
            return;
        }
        var index = _state.ConversationWith(message.From)?.Index;
        if (index is not null && LookUpOldKey(key, store, index.Value)) return;

        _inflight[key] = [new Waiter(Sender, ReplyKind.IncomingStored)];
        var stored = new UserEvents.MessageStored(message, ++_nextSeq, AwaitingSenderCopy: true);
        PersistAsync(Tag(stored), _ =>
        {
            Applied(stored);
            if (_inflight.Remove(key, out var all))
                foreach (var w in all) Reply(w, message);
            PushToDevices(new InboxMessage(message, stored.Seq));
            _driving[message.MessageId] = (DateTime.UtcNow + _settings.DriveSenderCopyAfter, 0);
            EnsureDriving();
        });
    }

    private void SenderCopyConfirmed(Guid messageId)
    {
        if (!_driving.Remove(messageId) || !_state.AwaitingSenderCopy.ContainsKey(messageId)) return;
        _confirmed.Add(messageId);
        if (_confirmed.Count >= ConfirmationBatch) FlushConfirmations();
        else if (!Timers.IsTimerActive("flush")) Timers.StartSingleTimer("flush", new FlushTick(), TimeSpan.FromMilliseconds(200));
    }

    /// <summary>Confirmations are batched into one event: the common path costs two writes per message, not three.</summary>
    private void FlushConfirmations()
    {
        if (_confirmed.Count == 0) return;
        var confirmed = new UserEvents.SenderCopiesConfirmed(_confirmed.ToArray());
        _confirmed.Clear();
        PersistAsync(confirmed, Applied);
    }

    private void EnsureDriving()
    {
        if (_driving.Count > 0 && !Timers.IsTimerActive("drive"))
            Timers.StartPeriodicTimer("drive", new DriveTick(), TimeSpan.FromMilliseconds(500));
    }

    /// <summary>
    /// Sender copies not confirmed in time are written by asking the sender's inbox directly: no client retry is needed
    /// for a message stored as recipient to reach the sender's copy. Backoff per message; never given up.
    /// </summary>
    private void DriveSenderCopies()
    {
        if (_driving.Count == 0)
        {
            Timers.Cancel("drive");
            return;
        }
        var now = DateTime.UtcNow;
        foreach (var (id, (due, attempts)) in _driving.ToList())
        {
            if (due > now) continue;
            if (!_state.AwaitingSenderCopy.TryGetValue(id, out var message))
            {
                _driving.Remove(id);
                continue;
            }
            _inboxes.Tell(new StoreOutgoing(message.From, message), Self);
            _driving[id] = (now + _settings.Backoff(attempts + 2), attempts + 1);
        }
    }
}
