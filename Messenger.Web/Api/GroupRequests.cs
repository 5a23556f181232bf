using Messenger.Messages.Chat;

namespace Messenger.Web.Api;

/// <summary>
/// The shape checks of the group requests (API.md "Groups"), before anything is asked: a name of 1–100 characters,
/// member ids that can be user ids, and the size of the member list. Whether the users exist and what the caller may
/// do are asked of the accounts and of the group.
/// </summary>
public static class GroupRequests
{
    public const int MaxNameCharacters = 100;

    /// <summary>The creator included.</summary>
    public const int MaxMembers = 256;

    /// <summary>Why <paramref name="name"/> cannot name a group, or null. Characters are UTF-16 code units, as a browser's
    /// <c>name.length</c> counts them (and as the group entity checks); a blank name or one with control characters
    /// (a line break) is refused too.</summary>
    public static string? NameProblem(string? name)
    {
        if (name is null) return "name is required";
        if (name.Length is < 1 or > MaxNameCharacters) return "name must be 1–100 characters";
        if (name.Any(char.IsControl)) return "name must not contain control characters";
        return string.IsNullOrWhiteSpace(name) ? "name must not be blank" : null;
    }

    /// <summary>
    /// The other members of a new group: normalised user ids in the order given, the caller's own id and repeats dropped;
    /// 1–255 of them. Else the reason (<c>invalid_request</c>).
    /// </summary>
    public static (IReadOnlyList<string>? Others, string? Problem) Others(string me, IReadOnlyList<string?>? members)
    {
        if (members is null) return (null, "members is required: the user ids of the other members");
        var others = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { me };
        foreach (var member in members)
        {
            if (UserId.TryParse(member) is not { } id) return (null, $"'{Shown(member)}' is not a user id");
            if (!seen.Add(id)) continue;
            if (others.Count == MaxMembers - 1) return (null, $"a group has at most {MaxMembers} members, you included");
            others.Add(id);
        }
        return others.Count == 0 ? (null, "a group needs at least one other member") : (others, null);
    }

    /// <summary>A client's text as quoted in an error: at most 40 characters of it.</summary>
    private static string Shown(string? text) => text is null ? "null" : text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>The user a membership request names (normalised), or the reason it cannot be one.</summary>
    public static (string? UserId, string? Problem) Member(string? userId) =>
        UserId.TryParse(userId) is { } id ? (id, null) : (null, userId is null ? "userId is required" : "userId is not a user id");
}
