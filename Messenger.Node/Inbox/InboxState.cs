using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using Messenger.Node.Attachments;
using static Messenger.Messages.Users.UserSnapshots;

namespace Messenger.Node.Inbox;

/// <summary>
/// The pure state of one user's inbox: the conversation summaries, a bounded window of recent messages (the
/// write-through cache), idempotency keys, the order clock and sagas it still owes. <see cref="Apply"/> folds
/// one persisted event and never reads the clock, so replay rebuilds exactly the state that was acknowledged.
/// </summary>
public sealed class InboxState
{
    public const int CheckpointEvery = 256;

    private readonly Dictionary<string, Conversation> _byPeer = new(StringComparer.Ordinal);
    private readonly LinkedList<InboxMessage> _recent = new();
    private readonly Dictionary<(string From, Guid ClientMessageId), InboxMessage> _recentByKey = new();
    private readonly Dictionary<Guid, ChatMessage> _awaitingSenderCopy = new();
    private readonly List<SeqCheckpoint> _checkpoints = new();
    private readonly HashSet<Guid> _retractedInWindow = new();
    private KeyFilter _keys = new();

    public InboxState(string userId, int recentWindow)
    {
        UserId = userId;
        RecentWindow = Math.Max(1, recentWindow);
    }

    public string UserId { get; }
    public int RecentWindow { get; }
    public bool Opened { get; private set; }

    /// <summary>Inbox position of the newest stored message: 1, 2, 3 … without gaps.</summary>
    public long Seq { get; private set; }

    /// <summary>The highest order clock this user has seen; new stamps go past it (causal order).</summary>
    public long Clock { get; private set; }

    public IReadOnlyCollection<Conversation> Conversations => _byPeer.Values;
    public IReadOnlyCollection<InboxMessage> Recent => _recent;
    public IReadOnlyDictionary<Guid, ChatMessage> AwaitingSenderCopy => _awaitingSenderCopy;
    public KeyFilter Keys => _keys;
    public CarriedAttachments Attachments { get; } = new();

    /// <summary>Delivered and read receipts: own delivered markers and the copy of each peer's markers.</summary>
    public ReceiptBook Receipts { get; } = new();

    /// <summary>The highest conversation number given so far (numbers may have gaps after a rejected write).</summary>
    public int MaxConversationNumber { get; private set; }

    public Conversation? ConversationWith(string peer) => _byPeer.GetValueOrDefault(peer);

    /// <summary>The newest presence change written (null: never seen); see <see cref="PresenceTracker"/>.</summary>
    public PresenceEvents.PresenceRecorded? Presence { get; private set; }

    public InboxMessage? FindRecent(string from, Guid clientMessageId) =>
        _recentByKey.GetValueOrDefault((from, clientMessageId));

    /// <summary>The window's entry for a key: the message, or its retraction (<see cref="InboxMessage.Retracted"/>).</summary>
    public InboxMessage? FindRecent(MessageKey key) => FindRecent(key.From, key.ClientMessageId);

    public void Apply(object evt, long journalSequenceNr)
    {
        switch (evt)
        {
            case UserEvents.InboxOpened:
                Opened = true;
                break;
            case UserEvents.MessageStored stored:
                ApplyStored(stored, journalSequenceNr);
                break;
            case UserEvents.SenderCopiesConfirmed confirmed:
                foreach (var id in confirmed.MessageIds) _awaitingSenderCopy.Remove(id);
                break;
            case UserEvents.ReadMarkerMoved moved:
                ApplyRead(moved);
                break;
            case UserEvents.MessageRetracted retracted:
                ApplyRetracted(retracted, journalSequenceNr);
                break;
            case PresenceEvents.PresenceRecorded presence:
                Presence = presence;
                break;
            case ReceiptEvents.DeliveredMarkersMoved moved:
                Receipts.Apply(moved, UserId);
                break;
            case ReceiptEvents.PeerReceiptCopied copied:
                Receipts.Apply(copied, UserId);
                break;
            case ReceiptEvents.MemberReceiptsCopied batch:
                foreach (var copied in batch.Copies) Receipts.Apply(copied, UserId);
                break;
        }
    }

    /// <summary>
    /// The retraction takes its own inbox position (sync and devices learn of it in inbox order); the message it
    /// withdraws reads as retracted from the window and in the conversation summary, and no longer counts as unread.
    /// </summary>
    private void ApplyRetracted(UserEvents.MessageRetracted retracted, long journalSequenceNr)
    {
        var message = retracted.Message;
        Seq = retracted.Seq;
        _awaitingSenderCopy.Remove(message.MessageId);
        Attachments.Withdrawn(message.Attachments);
        var entry = new InboxMessage(message, retracted.Seq, Retracted: true);
        if (_byPeer.TryGetValue(message.PeerOf(UserId), out var conversation))
        {
            if (conversation.LastMessage?.Message.MessageId == message.MessageId)
                conversation.LastMessage = conversation.LastMessage with { Retracted = true };
            if (message.From != UserId && string.CompareOrdinal(message.Order, conversation.ReadMarker) > 0)
                conversation.UnreadCount = Math.Max(0, conversation.UnreadCount - 1);
        }
        _retractedInWindow.Add(message.MessageId);
        Receipts.Retracted(message, UserId);
        AddToWindow(entry);
        if (retracted.Seq % CheckpointEvery == 1) _checkpoints.Add(new SeqCheckpoint(retracted.Seq, journalSequenceNr));
    }

    private void AddToWindow(InboxMessage entry)
    {
        _recent.AddLast(entry);
        _recentByKey[(entry.Message.From, entry.Message.ClientMessageId)] = entry;
        while (_recent.Count > RecentWindow)
        {
            var evicted = _recent.First!.Value;
            _recent.RemoveFirst();
            var key = (evicted.Message.From, evicted.Message.ClientMessageId);
            // A retraction shares its message's key: only the newest entry of a key owns the mapping.
            if (_recentByKey.TryGetValue(key, out var mapped) && ReferenceEquals(mapped, evicted)) _recentByKey.Remove(key);
            if (evicted.Retracted)
            {
                _retractedInWindow.Remove(evicted.Message.MessageId);
                continue;
            }
            var of = _byPeer[evicted.Message.PeerOf(UserId)];
            if (string.CompareOrdinal(evicted.Message.Order, of.EvictedUpTo) > 0) of.EvictedUpTo = evicted.Message.Order;
        }
    }

    /// <summary>How a window entry reads: a message withdrawn later reads as retracted.</summary>
    private InboxMessage Shown(InboxMessage m) =>
        !m.Retracted && _retractedInWindow.Contains(m.Message.MessageId) ? m with { Retracted = true } : m;

    private void ApplyStored(UserEvents.MessageStored stored, long journalSequenceNr)
    {
        var message = stored.Message;
        var inboxMessage = new InboxMessage(message, stored.Seq);
        Seq = stored.Seq;
        Clock = Math.Max(Clock, ConversationOrder.ClockOf(message.Order));

        var peer = message.PeerOf(UserId);
        var conversation = GetOrAddConversation(peer, message.ConversationId, stored.ConversationNumber);
        conversation.MessageCount++;
        if (conversation.LastMessage is null || string.CompareOrdinal(message.Order, conversation.LastMessage.Message.Order) > 0)
            conversation.LastMessage = inboxMessage;

        conversation.Group?.Stored(message);
        // Group membership events neither count as unread nor move a read marker, not even the actor's own.
        var text = MessageKinds.IsText(message.Kind);
        if (message.From == UserId)
        {
            // Sending in a conversation reads it up to its newest message.
            if (text)
            {
                conversation.ReadMarker = conversation.LastMessage.Message.Order;
                conversation.UnreadCount = 0;
            }
        }
        else if (text && string.CompareOrdinal(message.Order, conversation.ReadMarker) > 0)
        {
            conversation.UnreadCount++;
        }
        Receipts.Stored(message, stored.Seq, UserId, conversation.ReadMarker);

        AddToWindow(inboxMessage);

        _keys.Add(message.From, message.ClientMessageId);
        Attachments.Stored(message.Attachments);
        if (stored.AwaitingSenderCopy) _awaitingSenderCopy[message.MessageId] = message;
        if (stored.Seq % CheckpointEvery == 1) _checkpoints.Add(new SeqCheckpoint(stored.Seq, journalSequenceNr));
    }

    private void ApplyRead(UserEvents.ReadMarkerMoved moved)
    {
        var peer = ConversationKey.Of(moved.ConversationId, UserId);
        if (peer is null || !_byPeer.TryGetValue(peer, out var conversation)) return;
        if (string.CompareOrdinal(moved.UpTo, conversation.ReadMarker) <= 0) return;

        if (conversation.LastMessage is null || string.CompareOrdinal(moved.UpTo, conversation.LastMessage.Message.Order) >= 0)
        {
            conversation.UnreadCount = 0;
        }
        else
        {
            // Unread messages are the newest ones, so the window nearly always holds all of them; when it does
            // not (a huge unread backlog read part way), subtract what the window shows was passed.
            int stillUnread = 0, passed = 0;
            foreach (var m in _recent)
            {
                if (m.Retracted || _retractedInWindow.Contains(m.Message.MessageId)
                || m.Message.ConversationId != conversation.ConversationId || m.Message.From == UserId
                || !MessageKinds.IsText(m.Message.Kind)) continue;
                if (string.CompareOrdinal(m.Message.Order, moved.UpTo) > 0) stillUnread++;
                else if (string.CompareOrdinal(m.Message.Order, conversation.ReadMarker) > 0) passed++;
            }
            conversation.UnreadCount = Math.Max(stillUnread, conversation.UnreadCount - passed);
        }
        conversation.ReadMarker = moved.UpTo;
        Receipts.Read(peer, conversation.ConversationId, moved.UpTo);
    }

    /// <summary>Events written before numbers were carried get the next number, exactly as those writes computed it.</summary>
    private Conversation GetOrAddConversation(string peer, string conversationId, int? number)
    {
        if (!_byPeer.TryGetValue(peer, out var conversation))
        {
            conversation = new Conversation(peer, conversationId, number ?? MaxConversationNumber + 1);
            MaxConversationNumber = Math.Max(MaxConversationNumber, conversation.Index);
            _byPeer.Add(peer, conversation);
        }
        return conversation;
    }

    /// <summary>
    /// Conversations by last activity, newest first: the inbox position where the last message landed. Not its
    /// order stamp: two senders stamp from their own clocks, so within one millisecond the later arrival could
    /// carry the smaller stamp and sink below a conversation it came after.
    /// </summary>
    public IReadOnlyList<Conversation> ConversationsByActivity(int offset, int limit) =>
        _byPeer.Values
            .Where(c => c.LastMessage is not null)
            .OrderByDescending(c => c.LastMessage!.Seq)
            .ThenByDescending(c => c.LastMessage!.Message.Order, StringComparer.Ordinal)
            .Skip(offset).Take(limit).ToList();

    /// <summary>
    /// History from the recent window when the window can answer it: it holds every message of the conversation, or
    /// a full page whose oldest message sorts after every evicted one (so nothing in between is missing).
    /// Null means "ask storage".
    /// </summary>
    public UserReplies.HistoryPage? TryHistoryFromWindow(Conversation conversation, string? before, int limit)
    {
        var matching = new List<InboxMessage>();
        var inWindow = 0;
        foreach (var m in _recent)
        {
            if (m.Retracted || m.Message.ConversationId != conversation.ConversationId) continue;
            inWindow++;
            if (before is null || string.CompareOrdinal(m.Message.Order, before) < 0) matching.Add(Shown(m));
        }
        var complete = inWindow == conversation.MessageCount;
        if (!complete && matching.Count < limit) return null;

        matching.Sort((a, b) => string.CompareOrdinal(a.Message.Order, b.Message.Order));
        var more = matching.Count > limit || !complete;
        var page = matching.Count > limit ? matching.GetRange(matching.Count - limit, limit) : matching;
        if (!complete && string.CompareOrdinal(page[0].Message.Order, conversation.EvictedUpTo) <= 0) return null;
        return new UserReplies.HistoryPage(page, more && page.Count > 0 ? page[0].Message.Order : null);
    }

    /// <summary>Inbox messages after <paramref name="after"/> from the window, or null when the window starts later.</summary>
    public UserReplies.InboxPage? TryInboxFromWindow(long after, int limit)
    {
        var oldest = _recent.First?.Value.Seq ?? Seq + 1;
        if (after + 1 < oldest && after < Seq) return null;
        var page = new List<InboxMessage>(Math.Min(limit, _recent.Count));
        foreach (var m in _recent)
        {
            if (m.Seq <= after) continue;
            page.Add(Shown(m));
            if (page.Count == limit) break;
        }
        return new UserReplies.InboxPage(page, page.Count > 0 ? page[^1].Seq : after);
    }

    /// <summary>The journal position to start reading from to find inbox position <paramref name="seq"/>.</summary>
    public long JournalPositionAtOrBefore(long seq)
    {
        long position = 1;
        foreach (var c in _checkpoints)
        {
            if (c.Seq > seq) break;
            position = c.JournalSequenceNr;
        }
        return position;
    }

    public InboxSnapshot ToSnapshot() => new(
        UserId, Opened, Seq, Clock,
        _byPeer.Values.OrderBy(c => c.Index).Select(c =>
            new ConversationState(c.Peer, c.Index, c.LastMessage!, c.ReadMarker, c.UnreadCount, c.MessageCount, c.EvictedUpTo)
            {
                Roster = c.Group?.Roster, RosterOrder = c.Group?.RosterOrder ?? "",
            }).ToList(),
        _recent.ToList(),
        _awaitingSenderCopy.Values.ToList(),
        _keys.Layers,
        _checkpoints.ToList(),
        _keys.Counts,
        Presence,
        Receipts.ToSnapshot()) { CarriedAttachments = Attachments.ToSnapshot() };

    public void Restore(InboxSnapshot snapshot)
    {
        Opened = snapshot.Opened;
        Seq = snapshot.Seq;
        Clock = snapshot.Clock;
        _byPeer.Clear();
        MaxConversationNumber = 0;
        foreach (var c in snapshot.Conversations)
        {
            MaxConversationNumber = Math.Max(MaxConversationNumber, c.Index);
            _byPeer[c.Peer] = new Conversation(c.Peer, c.LastMessage.Message.ConversationId, c.Index)
            {
                LastMessage = c.LastMessage, ReadMarker = c.ReadMarker, UnreadCount = c.UnreadCount, MessageCount = c.MessageCount,
                EvictedUpTo = c.EvictedUpTo,
            };
            _byPeer[c.Peer].Group?.Restore(c.Roster, c.RosterOrder);
        }
        _recent.Clear();
        _recentByKey.Clear();
        _retractedInWindow.Clear();
        foreach (var m in snapshot.Recent.TakeLast(RecentWindow))
        {
            _recent.AddLast(m);
            _recentByKey[(m.Message.From, m.Message.ClientMessageId)] = m;
            if (m.Retracted) _retractedInWindow.Add(m.Message.MessageId);
        }
        _awaitingSenderCopy.Clear();
        foreach (var m in snapshot.AwaitingSenderCopy) _awaitingSenderCopy[m.MessageId] = m;
        _keys = KeyFilter.Restore(snapshot.KeyFilterLayers, snapshot.KeyFilterCounts);
        _checkpoints.Clear();
        _checkpoints.AddRange(snapshot.Checkpoints);
        Presence = snapshot.Presence;
        Attachments.Restore(snapshot.CarriedAttachments);
        Receipts.Restore(snapshot.Receipts, _byPeer.Values, UserId);
    }
}
