using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using static Messenger.Messages.Users.UserCommands;
using static Messenger.Messages.Users.UserReplies;

namespace Messenger.Node.Inbox;

/// <summary>
/// The decisions of one user's inbox, without Akka and without reading the clock (<c>now</c> is passed in): it takes
/// a command and returns the effects (events to persist, replies, messages to other inboxes, pushes). It holds what
/// is decided but not yet applied: reserved positions, writes in flight, pending sends, owed sender copies.
/// <para>
/// Idempotency: (sender, clientMessageId) names one message. The sender's copy is authoritative once written; before
/// that the recipient's copy is adopted. A recipient copy that lost to another message in the sender's copy is
/// retracted (<see cref="RetractRecipientCopy"/>).
/// </para>
/// </summary>
public sealed partial class InboxCore
{
    private readonly string _me;
    private readonly Reservations _reserved = new();
    private readonly PendingSends _sends;
    private readonly SenderCopyDriver _owed;
    private readonly KeyLookups _lookups = new();
    private readonly Dictionary<MessageKey, MessageWrite> _writing = new();
    private readonly Dictionary<object, object?> _otherWrites = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Guid> _retracting = new();
    private readonly ReceiptCopies _copies = new();

    public InboxCore(string userId, SendSettings settings)
    {
        _me = userId;
        _sends = new PendingSends(settings);
        _owed = new SenderCopyDriver(settings);
        State = new InboxState(userId, settings.RecentWindow);
    }

    public string UserId => _me;
    public InboxState State { get; }

    /// <summary>Nothing in flight and nothing owed: the inbox may passivate without losing work.</summary>
    public bool Idle => _sends.Count == 0 && _writing.Count == 0 && _lookups.Count == 0 && _otherWrites.Count == 0
                        && _retracting.Count == 0 && _owed.OwedCount == 0 && _owed.ConfirmedCount == 0
                        && State.AwaitingSenderCopy.Count == 0 && _copies.Count == 0
                        && _memberCopies.Count == 0;

    /// <summary>Retries, deadlines, owed copies or confirmations wait for the periodic tick.</summary>
    public bool NeedsTick => _sends.Count > 0 || _owed.OwedCount > 0 || _owed.ConfirmedCount > 0 || _copies.Count > 0;

    private enum Answer { Sent, RecipientCopy, SenderCopy, GroupCopy }

    private sealed record Waiter(object? To, Answer Kind);

    /// <summary>An adoption of the recipient's copy, parked like a command while storage answers for its key.</summary>
    private sealed record AdoptRecipientCopy(ChatMessage Message, bool Driven);

    private sealed class MessageWrite(UserEvents.MessageStored stored)
    {
        public UserEvents.MessageStored Stored { get; } = stored;
        public List<Waiter> Waiters { get; } = new();

        /// <summary>Recipient copies under this key that lose to this write: retracted once it is durable.</summary>
        public List<(ChatMessage Message, object? Recipient)> Losers { get; } = new();
    }

    public void Recovered(DateTime now)
    {
        _reserved.Reset(State);
        _owed.Recovered(State.AwaitingSenderCopy.Keys, now);
    }

    public List<InboxEffect> Handle(object command, object replyTo, DateTime now)
    {
        var fx = new List<InboxEffect>();
        Decide(command, replyTo, now, fx);
        return fx;
    }

    private void Decide(object command, object? replyTo, DateTime now, List<InboxEffect> fx)
    {
        switch (command)
        {
            case OpenInbox: Open(replyTo, now, fx); break;
            case SendMessage send: Send(send, replyTo!, now, fx); break;
            case StoreRecipientCopy store: StoreAsRecipient(store.Message, replyTo, fx); break;
            case StoreSenderCopy store when store.Message.From == _me: Adopt(store.Message, replyTo, driven: true, fx); break;
            case AdoptRecipientCopy adopt: Adopt(adopt.Message, replyTo, adopt.Driven, fx); break;
            case RecipientCopyStored stored when stored.Message.From == _me:
                CopyPeer(stored.Message.To, stored.Message.ConversationId, stored.RecipientDelivered ?? "", stored.RecipientRead ?? "", null, fx);
                Adopt(stored.Message, replyTo, driven: false, fx);
                break;
            case Rejected rejected: RecipientRejected(rejected, fx); break;
            case SenderCopyStored confirmed: SenderCopyConfirmed(confirmed.MessageId, fx); break;
            case RetractRecipientCopy retract: Retract(retract.MessageId, fx); break;
            case MarkRead read: Read(read, replyTo, fx); break;
            case ReceiptCommands.MarkReceived received: Received(received, replyTo, fx); break;
            case ReceiptCommands.CopyPeerReceipt copy when copy.UserId == _me:
                CopyPeer(copy.Of, copy.ConversationId, copy.Delivered, copy.Read, replyTo, fx);
                break;
            case ReceiptCommands.CopyPeerReceiptStored stored when stored.UserId == _me:
                if ((stored.By ?? ConversationId.PeerOf(stored.ConversationId, _me)) is { } by)
                    _copies.Confirmed(stored.ConversationId, by, stored.Delivered, stored.Read);
                break;
            case StoreGroupCopy store when store.UserId == _me: StoreGroupCopy(store.Message, replyTo, fx); break;
            case UserQueries.GetConversations q: fx.Add(InboxReads.Conversations(State, q, replyTo!)); break;
            case UserQueries.GetHistory q: fx.Add(InboxReads.History(State, q, replyTo!)); break;
            case UserQueries.GetInboxAfter q: fx.Add(InboxReads.InboxAfter(State, q, replyTo!)); break;
        }
    }

    private void Open(object? replyTo, DateTime now, List<InboxEffect> fx)
    {
        if (State.Opened)
        {
            fx.Add(new InboxEffect.Reply(replyTo!, new InboxReady(_me)));
            return;
        }
        Write(new UserEvents.InboxOpened(_me, now), replyTo, fx);
    }

    private void Read(MarkRead read, object? replyTo, List<InboxEffect> fx)
    {
        var peer = ConversationKey.Of(read.ConversationId, _me);
        var conversation = peer is null ? null : State.ConversationWith(peer);
        if (conversation?.LastMessage is null)
        {
            fx.Add(new InboxEffect.Reply(replyTo!, new Rejected(ErrorCodes.NotFound, "no such conversation")));
            return;
        }
        if (!ConversationOrder.IsValid(read.UpTo))
        {
            fx.Add(new InboxEffect.Reply(replyTo!, new Rejected(ErrorCodes.InvalidRequest, "upTo must be an order")));
            return;
        }
        // Never past the newest message: a marker ahead of it would silently mark future messages read.
        var newest = conversation.LastMessage.Message.Order;
        var upTo = string.CompareOrdinal(read.UpTo, newest) > 0 ? newest : read.UpTo;
        if (string.CompareOrdinal(upTo, conversation.ReadMarker) <= 0)
        {
            fx.Add(new InboxEffect.Reply(replyTo!, new ReadMarked(read.ConversationId, conversation.ReadMarker)));
            return;
        }
        Write(new UserEvents.ReadMarkerMoved(read.ConversationId, upTo), replyTo, fx);
    }

    private void Write(object evt, object? replyTo, List<InboxEffect> fx)
    {
        _otherWrites[evt] = replyTo;
        fx.Add(new InboxEffect.Persist(evt));
    }

    /// <summary>The key's message as this inbox knows it without waiting: the window, or storage's fresh answer.</summary>
    private InboxMessage? Known(MessageKey key) =>
        State.FindRecent(key) ?? (_lookups.TryAnswer(key, out var found) ? found : null);

    /// <summary>
    /// Parks the command when the key may be older than the window (the filter says "maybe" and storage was not
    /// asked yet). True when parked. This user's own keys are unique across conversations, so storage looks for them
    /// everywhere; another sender's key is looked for in the conversation its message belongs to.
    /// </summary>
    private bool ParkedForStorage(MessageKey key, object command, object? replyTo, string? conversationId, List<InboxEffect> fx)
    {
        if (_lookups.TryAnswer(key, out _)) return false;
        if (!_lookups.IsParked(key) && !State.Keys.MightContain(key.From, key.ClientMessageId)) return false;
        if (_lookups.Park(key, command, replyTo!))
            fx.Add(new InboxEffect.FindKey(key, key.From == _me ? null : conversationId));
        return true;
    }

    /// <summary>Storage answered for a key: the parked commands are decided again with the answer at hand.</summary>
    public List<InboxEffect> KeyLookedUp(MessageKey key, InboxMessage? found, bool failed, DateTime now)
    {
        var fx = new List<InboxEffect>();
        if (failed)
        {
            foreach (var (command, replyTo) in _lookups.Failed(key)) Unavailable(command, replyTo, key, fx);
            return fx;
        }
        foreach (var (command, replyTo) in _lookups.Answered(key, found)) Decide(command, replyTo, now, fx);
        _lookups.Decided(key);
        return fx;
    }

    private static void Unavailable(object command, object? replyTo, MessageKey key, List<InboxEffect> fx)
    {
        // An adoption needs no answer: the recipient drives its copy again.
        if (command is SendMessage or StoreRecipientCopy && replyTo is not null)
            fx.Add(new InboxEffect.Reply(replyTo, new Rejected(ErrorCodes.Unavailable,
                "storage did not answer; retry with the same clientMessageId", key.ClientMessageId)));
    }

    private static bool SameContent(ChatMessage a, string to, string body) => a.To == to && a.Body == body;

    private static Rejected Reused(Guid clientMessageId) =>
        new(ErrorCodes.InvalidRequest, "this clientMessageId was already used for a different message", clientMessageId);

    private static Rejected UnavailableFor(Guid clientMessageId, string reason) =>
        new(ErrorCodes.Unavailable, reason + "; retry with the same clientMessageId", clientMessageId);
}
