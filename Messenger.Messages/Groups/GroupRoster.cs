namespace Messenger.Messages.Groups;

public static class GroupRoles
{
    public const string Admin = "admin";
    public const string Member = "member";
}

/// <summary>One member of a group. <see cref="Joined"/> counts up in the group (the order members joined in), so
/// "the member who joined earliest" is well defined across restarts.</summary>
public sealed record GroupMember(string UserId, string Role, long Joined);

/// <summary>
/// A group as it stands after one membership event: its name and members (in join order). Every membership event
/// message carries the roster after it, so each member's inbox knows the group's name, size and the other members
/// (receipts, typing) without asking the group. Compared by value, like <see cref="Chat.AttachmentList"/>.
/// </summary>
public sealed class GroupRoster : IEquatable<GroupRoster>
{
    public GroupRoster(string name, IReadOnlyList<GroupMember> members)
    {
        Name = name;
        Members = members;
    }

    public string Name { get; }

    public IReadOnlyList<GroupMember> Members { get; }

    public bool Contains(string userId)
    {
        foreach (var m in Members)
            if (m.UserId == userId) return true;
        return false;
    }

    public bool Equals(GroupRoster? other) =>
        other is not null && Name == other.Name && Members.SequenceEqual(other.Members);

    public override bool Equals(object? obj) => Equals(obj as GroupRoster);

    public override int GetHashCode() => HashCode.Combine(Name, Members.Count);
}
