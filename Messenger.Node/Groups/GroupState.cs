using Messenger.Messages.Chat;
using Messenger.Messages.Groups;
using Messenger.Node.Inbox;
using static Messenger.Messages.Groups.GroupEvents;

namespace Messenger.Node.Groups;

/// <summary>
/// A group as its events built it: name, members in join order, the group's clock, the fan-outs still owed and the
/// idempotency keys of its text messages. Only <see cref="Apply"/> changes it, so recovery and live decisions agree.
/// </summary>
public sealed class GroupState(string groupId)
{
    /// <summary>Finished text messages whose keys are kept: a duplicate PostMessage that overtook the sender's ack
    /// (retries race the fan-out) is then recognised instead of stamped again.</summary>
    public const int RecentKeyWindow = 1000;

    private readonly List<GroupMember> _members = new();
    private readonly Dictionary<Guid, MessageStamped> _unfinished = new();
    private readonly Dictionary<MessageKey, ChatMessage?> _keys = new();
    private readonly Queue<MessageKey> _recent = new();

    public string GroupId { get; } = groupId;
    public bool Created { get; private set; }
    public bool Closed { get; private set; }
    public string Name { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public IReadOnlyList<GroupMember> Members => _members;
    public long NextJoined { get; private set; } = 1;

    /// <summary>The group's hybrid logical clock: the newest order it stamped.</summary>
    public long Clock { get; private set; }

    public IReadOnlyCollection<MessageStamped> Unfinished => _unfinished.Values;

    /// <summary>A live group: created and not closed.</summary>
    public bool Open => Created && !Closed;

    public GroupMember? Member(string userId) => _members.Find(m => m.UserId == userId);

    public bool IsMember(string userId) => Open && Member(userId) is not null;

    public bool IsAdmin(string userId) => Open && Member(userId)?.Role == GroupRoles.Admin;

    public GroupRoster Roster => new(Name, _members.ToArray());

    public GroupReplies.GroupView View() => new(GroupId, Name, CreatedAt, _members.ToArray());

    /// <summary>A text message under this key: in flight (the message) or finished (known, message null).</summary>
    public bool TryFindKey(MessageKey key, out ChatMessage? inFlight) => _keys.TryGetValue(key, out inFlight);

    public bool IsUnfinished(Guid messageId) => _unfinished.ContainsKey(messageId);

    public void Apply(object evt)
    {
        switch (evt)
        {
            case MessageStamped stamped: Stamped(stamped); break;
            case FanOutsDone done: Done(done.MessageIds); break;
        }
    }

    private void Stamped(MessageStamped stamped)
    {
        var message = stamped.Message;
        Clock = Math.Max(Clock, ConversationOrder.ClockOf(message.Order));
        _unfinished[message.MessageId] = stamped;
        if (MessageKinds.IsText(message.Kind))
        {
            _keys[new MessageKey(message.From, message.ClientMessageId)] = message;
            return;
        }
        if (message.Kind == MessageKinds.GroupCreated)
        {
            Created = true;
            CreatedAt = message.SentAt;
            CreatedBy = message.From;
        }
        if (message.Roster is not { } roster) return;
        Name = roster.Name;
        var members = roster.Members.ToArray(); // the roster may be a view of this list
        _members.Clear();
        _members.AddRange(members);
        foreach (var m in roster.Members) NextJoined = Math.Max(NextJoined, m.Joined + 1);
        if (_members.Count == 0) Closed = true;
    }

    private void Done(IReadOnlyList<Guid> messageIds)
    {
        foreach (var id in messageIds)
        {
            if (!_unfinished.Remove(id, out var stamped) || !MessageKinds.IsText(stamped.Message.Kind)) continue;
            var key = new MessageKey(stamped.Message.From, stamped.Message.ClientMessageId);
            _keys[key] = null;
            _recent.Enqueue(key);
        }
        while (_recent.Count > RecentKeyWindow) _keys.Remove(_recent.Dequeue());
    }

    public GroupSnapshots.GroupSnapshot ToSnapshot() => new(
        GroupId, Created, Closed, Name, CreatedAt, CreatedBy, _members.ToArray(), NextJoined, Clock,
        _unfinished.Values.OrderBy(s => s.Message.Order, StringComparer.Ordinal).ToArray(),
        _recent.Select(k => new GroupSnapshots.GroupKey(k.From, k.ClientMessageId)).ToArray());

    public void Restore(GroupSnapshots.GroupSnapshot s)
    {
        Created = s.Created;
        Closed = s.Closed;
        Name = s.Name;
        CreatedAt = s.CreatedAt;
        CreatedBy = s.CreatedBy;
        _members.Clear();
        _members.AddRange(s.Members);
        NextJoined = s.NextJoined;
        Clock = s.Clock;
        _unfinished.Clear();
        _keys.Clear();
        _recent.Clear();
        foreach (var k in s.RecentKeys)
        {
            var key = new MessageKey(k.From, k.ClientMessageId);
            _keys[key] = null;
            _recent.Enqueue(key);
        }
        foreach (var stamped in s.Unfinished)
        {
            _unfinished[stamped.Message.MessageId] = stamped;
            if (MessageKinds.IsText(stamped.Message.Kind))
                _keys[new MessageKey(stamped.Message.From, stamped.Message.ClientMessageId)] = stamped.Message;
        }
    }
}
