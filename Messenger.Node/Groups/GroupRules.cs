using Messenger.Messages.Chat;
using Messenger.Messages.Groups;
using Messenger.Node.Inbox;
using static Messenger.Messages.Groups.GroupCommands;
using static Messenger.Messages.Groups.GroupEvents;
using static Messenger.Node.Groups.GroupDecision;

namespace Messenger.Node.Groups;

/// <summary>
/// Who may do what in a group (API.md "Groups"), without Akka and without reading the clock. Every change becomes a
/// message stamped in the group's one sequence, with the members whose copies it concerns fixed at that moment.
/// A non-member (or anyone, once the group is closed) gets <c>not_found</c> for the group and its membership, and
/// <c>forbidden</c> for sends.
/// </summary>
public static class GroupRules
{
    public const int MaxMembers = 256;
    public const int MaxNameLength = 100;

    public static GroupDecision Decide(GroupState group, object command, DateTime now) => command switch
    {
        CreateGroup c => Create(group, c, now),
        GetGroup g => group.IsMember(g.By) ? Unchanged.Instance : NoSuchGroup,
        RenameGroup r => Rename(group, r, now),
        AddMember a => Add(group, a, now),
        RemoveMember r => Remove(group, r, now),
        MakeAdmin m => Promote(group, m, now),
        PostMessage p => Post(group, p, now),
        _ => new Refused(ErrorCodes.InvalidRequest, "not a group command"),
    };

    private static readonly Refused NoSuchGroup = new(ErrorCodes.NotFound, "no such group");
    private static readonly Refused AdminsOnly = new(ErrorCodes.Forbidden, "only admins may do this");
    private static readonly Refused NotAMember = new(ErrorCodes.NotFound, "that user is not a member of the group");

    public static bool IsValidName(string? name) =>
        !string.IsNullOrWhiteSpace(name) && name.Length <= MaxNameLength;

    private static GroupDecision Create(GroupState group, CreateGroup create, DateTime now)
    {
        if (group.Closed) return NoSuchGroup;
        // The edge chose a fresh id; one that exists is the creator's retry (answered as before) or a collision.
        if (group.Created)
            return group.CreatedBy == create.By ? Unchanged.Instance : new Refused(ErrorCodes.InvalidRequest, "this group id is taken");
        if (!IsValidName(create.Name)) return BadName;
        var others = create.Members.Where(m => m != create.By).Distinct().ToList();
        if (others.Count == 0) return new Refused(ErrorCodes.InvalidRequest, "a group needs at least one other member");
        if (others.Count > MaxMembers - 1)
            return new Refused(ErrorCodes.InvalidRequest, $"a group has at most {MaxMembers} members, the creator included");
        var joined = group.NextJoined;
        var members = new List<GroupMember> { new(create.By, GroupRoles.Admin, joined++) };
        members.AddRange(others.Select(m => new GroupMember(m, GroupRoles.Member, joined++)));
        var roster = new GroupRoster(create.Name, members);
        var stamps = new Stamps(group, now);
        return new Changed([stamps.Event(MessageKinds.GroupCreated, create.By, null, create.Name, roster, Ids(members))]);
    }

    private static readonly Refused BadName = new(ErrorCodes.InvalidRequest, $"name must be 1-{MaxNameLength} characters");

    private static GroupDecision Rename(GroupState group, RenameGroup rename, DateTime now)
    {
        if (AdminCheck(group, rename.By) is { } refused) return refused;
        if (!IsValidName(rename.Name)) return BadName;
        if (rename.Name == group.Name) return Unchanged.Instance;
        var roster = new GroupRoster(rename.Name, group.Members.ToArray());
        return new Changed([new Stamps(group, now).Event(MessageKinds.GroupRenamed, rename.By, null, rename.Name, roster, Ids(group.Members))]);
    }

    private static GroupDecision Add(GroupState group, AddMember add, DateTime now)
    {
        if (AdminCheck(group, add.By) is { } refused) return refused;
        if (group.Member(add.UserId) is not null) return Unchanged.Instance;
        if (group.Members.Count >= MaxMembers)
            return new Refused(ErrorCodes.InvalidRequest, $"a group has at most {MaxMembers} members");
        var members = group.Members.Append(new GroupMember(add.UserId, GroupRoles.Member, group.NextJoined)).ToList();
        var roster = new GroupRoster(group.Name, members);
        // Concerns everyone after the change: the new member's copy starts with the event that added them.
        return new Changed([new Stamps(group, now).Event(MessageKinds.MemberAdded, add.By, add.UserId, "", roster, Ids(members))]);
    }

    private static GroupDecision Remove(GroupState group, RemoveMember remove, DateTime now)
    {
        if (!group.IsMember(remove.By)) return NoSuchGroup;
        var leaving = remove.UserId == remove.By;
        if (!leaving && !group.IsAdmin(remove.By)) return AdminsOnly;
        if (group.Member(remove.UserId) is not { } removed) return NotAMember;
        var before = Ids(group.Members);
        var after = group.Members.Where(m => m.UserId != removed.UserId).ToList();
        var stamps = new Stamps(group, now);
        // Concerns everyone before the change: the removed member's copy ends with the event that removed them.
        var events = new List<MessageStamped>
        {
            stamps.Event(leaving ? MessageKinds.MemberLeft : MessageKinds.MemberRemoved, remove.By, removed.UserId, "",
                new GroupRoster(group.Name, after), before),
        };
        if (after.Count > 0 && after.All(m => m.Role != GroupRoles.Admin))
        {
            // The last admin is gone: the member who joined earliest (ties: the lowest user id) takes over.
            var heir = after.OrderBy(m => m.Joined).ThenBy(m => m.UserId, StringComparer.Ordinal).First();
            var promoted = after.Select(m => m == heir ? m with { Role = GroupRoles.Admin } : m).ToList();
            events.Add(stamps.Event(MessageKinds.AdminAdded, removed.UserId, heir.UserId, "",
                new GroupRoster(group.Name, promoted), Ids(promoted)));
        }
        return new Changed(events);
    }

    private static GroupDecision Promote(GroupState group, MakeAdmin make, DateTime now)
    {
        if (AdminCheck(group, make.By) is { } refused) return refused;
        if (group.Member(make.UserId) is not { } member) return NotAMember;
        if (member.Role == GroupRoles.Admin) return Unchanged.Instance;
        var members = group.Members.Select(m => m == member ? m with { Role = GroupRoles.Admin } : m).ToList();
        var roster = new GroupRoster(group.Name, members);
        return new Changed([new Stamps(group, now).Event(MessageKinds.AdminAdded, make.By, make.UserId, "", roster, Ids(members))]);
    }

    private static GroupDecision Post(GroupState group, PostMessage post, DateTime now)
    {
        // The key first: a message stamped while its sender was a member stays theirs after they leave.
        if (group.TryFindKey(new MessageKey(post.From, post.ClientMessageId), out var inFlight))
        {
            if (inFlight is not null && (inFlight.Body != post.Body || !inFlight.Attachments.Equals(post.Attachments)))
                return new Refused(ErrorCodes.InvalidRequest, "this clientMessageId was already used for a different message");
            return new Known(inFlight);
        }
        if (!group.IsMember(post.From)) return new Refused(ErrorCodes.Forbidden, "not a member of this group");
        var stamps = new Stamps(group, now, post.SenderClock);
        var messageId = Guid.NewGuid();
        var message = new ChatMessage(messageId, post.ClientMessageId, group.GroupId, post.From, group.GroupId, post.Body,
            post.SentAt, ConversationOrder.Format(stamps.Next(), messageId)) { Attachments = post.Attachments };
        // Everyone else first, the sender last (its copy answers its waiters: "sent" once every copy is durable).
        var recipients = group.Members.Select(m => m.UserId).Where(u => u != post.From).Append(post.From).ToArray();
        return new Changed([new MessageStamped(message, recipients)]);
    }

    /// <summary>Non-members (and everyone in a closed group) get not_found; members who are not admins forbidden.</summary>
    private static Refused? AdminCheck(GroupState group, string by)
    {
        if (!group.IsMember(by)) return NoSuchGroup;
        return group.IsAdmin(by) ? null : AdminsOnly;
    }

    private static string[] Ids(IEnumerable<GroupMember> members) => members.Select(m => m.UserId).ToArray();

    /// <summary>The group's clock for the events of one decision: each past the last, past the sender's, not behind wall time.</summary>
    private sealed class Stamps(GroupState group, DateTime now, long senderClock = 0)
    {
        private long _clock = Math.Max(group.Clock, senderClock);

        public long Next() => _clock = ConversationOrder.Next(_clock, now);

        public MessageStamped Event(string kind, string by, string? subject, string body, GroupRoster roster, string[] concerned)
        {
            var id = Guid.NewGuid();
            var message = new ChatMessage(id, Guid.NewGuid(), group.GroupId, by, group.GroupId, body, now,
                ConversationOrder.Format(Next(), id)) { Kind = kind, Subject = subject, Roster = roster };
            return new MessageStamped(message, concerned);
        }
    }
}
