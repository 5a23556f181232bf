using Messenger.Messages.Chat;

namespace Messenger.Messages.Groups;

/// <summary>
/// Commands a group's entity accepts. Membership commands come from the edge (HTTP), which has checked that every
/// user named exists; each is answered with <see cref="GroupReplies.GroupView"/> once its event is durable in the copy
/// of every member it concerns, or <see cref="Users.UserReplies.Rejected"/> (<c>forbidden</c>, <c>not_found</c>,
/// <c>invalid_request</c>, <c>unavailable</c>). <see cref="By"/> is the authenticated caller.
/// </summary>
public static class GroupCommands
{
    /// <summary><see cref="Members"/>: the others (the caller is left out, repeats removed by the edge).</summary>
    public sealed record CreateGroup(string GroupId, string By, string Name, IReadOnlyList<string> Members) : IWithGroupId;

    public sealed record GetGroup(string GroupId, string By) : IWithGroupId;

    public sealed record RenameGroup(string GroupId, string By, string Name) : IWithGroupId;

    public sealed record AddMember(string GroupId, string By, string UserId) : IWithGroupId;

    /// <summary>An admin removes anyone; anyone removes themself (<see cref="UserId"/> == <see cref="By"/>: leaving).</summary>
    public sealed record RemoveMember(string GroupId, string By, string UserId) : IWithGroupId;

    public sealed record MakeAdmin(string GroupId, string By, string UserId) : IWithGroupId;

    /// <summary>
    /// From the sender's inbox (phase 0 of the fan-out saga): stamp this text message (messageId, order past
    /// <see cref="SenderClock"/> and the group's clock), fix the member list, write every other member's copy
    /// (<see cref="Users.UserCommands.StoreGroupCopy"/>), then the sender's. Idempotent per (<see cref="From"/>,
    /// <see cref="ClientMessageId"/>) while the fan-out is in flight (afterwards the sender's inbox knows the key).
    /// Refused with <see cref="Users.UserReplies.Rejected"/> (<c>forbidden</c> for a non-member or a closed/unknown
    /// group, <c>invalid_request</c> for a key reused with other content) sent back to the sender's inbox.
    /// </summary>
    public sealed record PostMessage(
        string GroupId, string From, Guid ClientMessageId, string Body, DateTime SentAt, long SenderClock) : IWithGroupId
    {
        public AttachmentList Attachments { get; init; } = AttachmentList.Empty;
    }

    /// <summary>To the group, from a member's inbox: this member's copy of <see cref="MessageId"/> is durable.</summary>
    public sealed record GroupCopyStored(string GroupId, string UserId, Guid MessageId) : IWithGroupId;
}

public static class GroupReplies
{
    /// <summary>API.md <b>Group</b>: <c>{"conversationId","name","createdAt","members":[{"userId","role"}]}</c>.</summary>
    public sealed record GroupView(string ConversationId, string Name, DateTime CreatedAt, IReadOnlyList<GroupMember> Members)
        : IMessengerMessage
    {
        public bool Equals(GroupView? other) =>
            other is not null && ConversationId == other.ConversationId && Name == other.Name
            && CreatedAt == other.CreatedAt && Members.SequenceEqual(other.Members);

        public override int GetHashCode() => HashCode.Combine(ConversationId, Name, CreatedAt, Members.Count);
    }
}
