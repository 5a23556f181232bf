using Messenger.Messages.Chat;
using Messenger.Messages.Groups;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;

namespace Messenger.Tests.Groups.Inbox;

/// <summary>
/// Stands in for a group's entity in the inbox specs: stamps membership events and text messages in one order
/// sequence, the way the group fans them out (every copy carries the same message).
/// </summary>
internal sealed class GroupCopies(string groupId, DateTime now)
{
    private long _clock = 1_000;
    private readonly List<GroupMember> _members = new();
    private string _name = "";

    public string GroupId { get; } = groupId;

    public GroupRoster Roster => new(_name, _members.ToList());

    private (Guid Id, string Order) Stamp(long senderClock = 0)
    {
        var id = Guid.NewGuid();
        _clock = ConversationOrder.Next(Math.Max(_clock, senderClock), now);
        return (id, ConversationOrder.Format(_clock, id));
    }

    private ChatMessage Event(string kind, string from, string? subject, string body)
    {
        var (id, order) = Stamp();
        return new ChatMessage(id, Guid.NewGuid(), GroupId, from, GroupId, body, now, order)
        {
            Kind = kind, Subject = subject, Roster = Roster,
        };
    }

    public ChatMessage Created(string name, string by, params string[] others)
    {
        _name = name;
        _members.Add(new GroupMember(by, GroupRoles.Admin, 1));
        foreach (var o in others) _members.Add(new GroupMember(o, GroupRoles.Member, _members.Count + 1));
        return Event(MessageKinds.GroupCreated, by, null, name);
    }

    public ChatMessage Added(string by, string member)
    {
        _members.Add(new GroupMember(member, GroupRoles.Member, _members.Max(m => m.Joined) + 1));
        return Event(MessageKinds.MemberAdded, by, member, "");
    }

    public ChatMessage Removed(string by, string member)
    {
        _members.RemoveAll(m => m.UserId == member);
        return Event(by == member ? MessageKinds.MemberLeft : MessageKinds.MemberRemoved, by, member, "");
    }

    public ChatMessage Renamed(string by, string name)
    {
        _name = name;
        return Event(MessageKinds.GroupRenamed, by, null, name);
    }

    public ChatMessage Text(string from, string body, Guid? clientMessageId = null, long senderClock = 0)
    {
        var (id, order) = Stamp(senderClock);
        return new ChatMessage(id, clientMessageId ?? Guid.NewGuid(), GroupId, from, GroupId, body, now, order);
    }

    /// <summary>The text message a <see cref="GroupCommands.PostMessage"/> asks for.</summary>
    public ChatMessage Stamped(GroupCommands.PostMessage post) =>
        Text(post.From, post.Body, post.ClientMessageId, post.SenderClock) with { SentAt = post.SentAt, Attachments = post.Attachments };

    public UserCommands.StoreGroupCopy CopyFor(string member, ChatMessage message) => new(member, message);
}
