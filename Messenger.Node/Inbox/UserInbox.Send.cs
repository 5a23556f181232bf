using System.Text;
using Akka.Actor;
using Akka.Persistence.Journal;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using static Messenger.Messages.Users.UserCommands;
using static Messenger.Messages.Users.UserReplies;

namespace Messenger.Node.Inbox;

/// <summary>The sender side of the saga: validate, dedupe, stamp, recipient first, then the sender's own copy.</summary>
public sealed partial class UserInbox
{
    private void Send(SendMessage send)
    {
        var reject = Validate(send);
        if (reject is not null)
        {
            Sender.Tell(reject);
            return;
        }
        var key = (_userId, send.ClientMessageId);

        if (_state.FindRecent(_userId, send.ClientMessageId) is { } known)
        {
            Sender.Tell(SameContent(send, known.Message) ? new MessageSent(known.Message) : Reused(send.ClientMessageId));
            return;
        }
        if (_pendingSends.TryGetValue(send.ClientMessageId, out var pending))
        {
            if (SameContent(send, pending.Message)) pending.Waiters.Add(Sender);
            else Sender.Tell(Reused(send.ClientMessageId));
            return;
        }
        if (_inflight.TryGetValue(key, out var waiters))
        {
            waiters.Add(new Waiter(Sender, ReplyKind.Sent));
            return;
        }
        if (LookUpOldKey(key, send, _state.ConversationWith(send.To)?.Index ?? 0)) return;

        StartSaga(send, Sender);
    }

    private Rejected? Validate(SendMessage send)
    {
        if (!_state.Opened)
            return new Rejected(ErrorCodes.Unavailable, "this account's inbox is not open yet; sign in again", send.ClientMessageId);
        if (send.To == _userId)
            return new Rejected(ErrorCodes.InvalidRequest, "you cannot send a message to yourself", send.ClientMessageId);
        if (!UserId.IsValid(send.To))
            return new Rejected(ErrorCodes.NotFound, "no such recipient", send.ClientMessageId);
        if (string.IsNullOrEmpty(send.Body))
            return new Rejected(ErrorCodes.InvalidRequest, "body must not be empty", send.ClientMessageId);
        if (Encoding.UTF8.GetByteCount(send.Body) > Limits.MaxBodyBytes)
            return new Rejected(ErrorCodes.TooLarge, "body is over 4096 UTF-8 bytes", send.ClientMessageId);
        return null;
    }

    private static bool SameContent(SendMessage send, ChatMessage message) =>
        send.To == message.To && send.Body == message.Body;

    private static Rejected Reused(Guid clientMessageId) =>
        new(ErrorCodes.InvalidRequest, "this clientMessageId was already used for a different message", clientMessageId);

    private void StartSaga(SendMessage send, IActorRef replyTo)
    {
        var now = DateTime.UtcNow;
        _clock = ConversationOrder.Next(Math.Max(_clock, _state.Clock), now);
        var messageId = Guid.NewGuid();
        var message = new ChatMessage(
            messageId, send.ClientMessageId, ConversationId.Direct(_userId, send.To), _userId, send.To, send.Body,
            now, ConversationOrder.Format(_clock, messageId));
        _pendingSends[send.ClientMessageId] = new PendingSend(message, [replyTo]);
        Context.ActorOf(SendSaga.Props(message, _inboxes, _settings));
    }

    private void ReceiverStored(SendSaga.ReceiverStored stored)
    {
        // The recipient's copy is the authority: on a duplicate key it answers with the copy it already had.
        var message = stored.Message;
        if (!_pendingSends.Remove(message.ClientMessageId, out var pending)) return;
        var waiters = pending.Waiters.Select(w => new Waiter(w, ReplyKind.Sent)).ToList();
        PersistOutgoing(message, waiters);
    }

    private void FailSend(Guid clientMessageId, Rejected rejection)
    {
        if (!_pendingSends.Remove(clientMessageId, out var pending)) return;
        foreach (var w in pending.Waiters) w.Tell(rejection);
    }

    /// <summary>Saga phase 2 driven by the recipient (the sender crashed or timed out between the two writes).</summary>
    private void StoreOutgoingCopy(StoreOutgoing store)
    {
        var message = store.Message;
        if (message.From != _userId) return;
        var key = (_userId, message.ClientMessageId);
        if (_state.FindRecent(_userId, message.ClientMessageId) is not null)
        {
            Sender.Tell(new OutgoingStored(_userId, message.MessageId));
            return;
        }
        if (_inflight.TryGetValue(key, out var waiters))
        {
            waiters.Add(new Waiter(Sender, ReplyKind.OutgoingStored));
            return;
        }
        if (LookUpOldKey(key, store, _state.ConversationWith(message.To)?.Index ?? 0)) return;

        var all = new List<Waiter> { new(Sender, ReplyKind.OutgoingStored) };
        if (_pendingSends.Remove(message.ClientMessageId, out var pending))
            all.AddRange(pending.Waiters.Select(w => new Waiter(w, ReplyKind.Sent)));
        PersistOutgoing(message, all);
    }

    private void PersistOutgoing(ChatMessage message, List<Waiter> waiters)
    {
        var key = (message.From, message.ClientMessageId);
        _inflight[key] = waiters;
        var stored = new UserEvents.MessageStored(message, ++_nextSeq, AwaitingSenderCopy: false);
        PersistAsync(Tag(stored), _ =>
        {
            Applied(stored);
            var inboxMessage = new InboxMessage(message, stored.Seq);
            if (_inflight.Remove(key, out var all))
                foreach (var w in all) Reply(w, message);
            PushToDevices(inboxMessage);
            _inboxes.Tell(new ConfirmSenderCopy(message.To, message.MessageId));
        });
    }

    private void Reply(Waiter waiter, ChatMessage message) =>
        waiter.To.Tell(waiter.Kind switch
        {
            ReplyKind.Sent => new MessageSent(message),
            ReplyKind.IncomingStored => new IncomingStored(message),
            _ => new OutgoingStored(_userId, message.MessageId),
        });

    private Tagged Tag(UserEvents.MessageStored stored)
    {
        var message = stored.Message;
        var peer = message.PeerOf(_userId);
        // A first message with a new peer gets the next conversation number, exactly as Apply will assign it.
        var index = _state.ConversationWith(peer)?.Index ?? NextConversationIndex(peer);
        return new Tagged(stored, new[]
        {
            InboxTags.History(index, message.Order),
            InboxTags.KeyTag(_userId, index, message),
        });
    }

    /// <summary>Conversation numbers of peers whose first message is still being written (PersistAsync pipelines).</summary>
    private readonly Dictionary<string, int> _newConversationIndexes = new();

    private int NextConversationIndex(string peer)
    {
        foreach (var applied in _newConversationIndexes.Keys.Where(p => _state.ConversationWith(p) is not null).ToList())
            _newConversationIndexes.Remove(applied);
        if (_newConversationIndexes.TryGetValue(peer, out var index)) return index;
        index = _state.Conversations.Count + _newConversationIndexes.Count + 1;
        _newConversationIndexes[peer] = index;
        return index;
    }

    /// <summary>
    /// A key not in the recent window may still be an old one: the Bloom filter says "maybe", storage decides.
    /// Returns true when the command is parked until storage answers.
    /// </summary>
    private bool LookUpOldKey((string From, Guid Key) key, object command, int conversationNumber)
    {
        if (_lookups.TryGetValue(key, out var parked))
        {
            parked.Add((command, Sender));
            return true;
        }
        if (_checkedAbsent.Remove(key) || !_state.Keys.MightContain(key.From, key.Key)) return false;
        _lookups[key] = [(command, Sender)];
        var self = Self;
        _archive.FindByKeyAsync(PersistenceId, _userId, key.From, key.Key, conversationNumber).PipeTo(self,
            success: found => new KeyLookedUp(key, found, Failed: false),
            failure: _ => new KeyLookedUp(key, null, Failed: true));
        return true;
    }

    /// <summary>Keys storage just said are new, so re-entering the handler does not ask again.</summary>
    private readonly HashSet<(string From, Guid Key)> _checkedAbsent = new();

    private void KeyFound(KeyLookedUp result)
    {
        if (!_lookups.Remove(result.Key, out var parked)) return;
        if (result.Failed)
        {
            foreach (var (_, sender) in parked)
                sender.Tell(new Rejected(ErrorCodes.Unavailable, "storage did not answer; retry with the same clientMessageId", result.Key.Key));
            return;
        }
        foreach (var (command, sender) in parked)
        {
            if (result.Found is { } found)
            {
                switch (command)
                {
                    case SendMessage send:
                        sender.Tell(SameContent(send, found.Message) ? new MessageSent(found.Message) : Reused(send.ClientMessageId));
                        break;
                    case StoreIncoming:
                        sender.Tell(new IncomingStored(found.Message));
                        break;
                    case StoreOutgoing:
                        sender.Tell(new OutgoingStored(_userId, found.Message.MessageId));
                        break;
                }
                continue;
            }
            // Not stored before: handle as new. Re-entering the handler keeps one code path for dedup.
            _checkedAbsent.Add(result.Key);
            Self.Tell(command, sender);
        }
    }
}
