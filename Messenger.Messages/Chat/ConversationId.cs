namespace Messenger.Messages.Chat;

/// <summary>A 1:1 conversation is <c>dm:&lt;a&gt;:&lt;b&gt;</c> with a &lt; b (ordinal), so both participants name it alike.</summary>
public static class ConversationId
{
    public static string Direct(string a, string b) =>
        string.CompareOrdinal(a, b) < 0 ? $"dm:{a}:{b}" : $"dm:{b}:{a}";

    /// <summary>The other participant of a direct conversation, or null when <paramref name="me"/> is not in it.</summary>
    public static string? PeerOf(string conversationId, string me)
    {
        if (!conversationId.StartsWith("dm:", StringComparison.Ordinal)) return null;
        var parts = conversationId.Split(':');
        if (parts.Length != 3 || !UserId.IsValid(parts[1]) || !UserId.IsValid(parts[2])) return null;
        if (string.CompareOrdinal(parts[1], parts[2]) >= 0) return null;
        if (parts[1] == me) return parts[2];
        if (parts[2] == me) return parts[1];
        return null;
    }

    public const string GroupPrefix = "grp:";

    /// <summary>A new group's conversation id: <c>grp:</c> + 22 characters of [A-Za-z0-9_-] (a random Guid, base64url).</summary>
    public static string NewGroup() =>
        GroupPrefix + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary><c>grp:&lt;id&gt;</c> with an id of 1–64 characters of [A-Za-z0-9_-] (API.md "Groups").</summary>
    public static bool IsGroup(string? conversationId)
    {
        if (conversationId is null || !conversationId.StartsWith(GroupPrefix, StringComparison.Ordinal)) return false;
        var id = conversationId.AsSpan(GroupPrefix.Length);
        if (id.Length is < 1 or > 64) return false;
        foreach (var c in id)
            if (!(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_' or '-')) return false;
        return true;
    }

    /// <summary>A well-formed 1:1 conversation id (group ids: <see cref="IsGroup"/>).</summary>
    public static bool IsWellFormed(string conversationId)
    {
        var parts = conversationId.Split(':');
        return parts.Length == 3 && parts[0] == "dm" && UserId.IsValid(parts[1]) && UserId.IsValid(parts[2])
               && string.CompareOrdinal(parts[1], parts[2]) < 0;
    }
}
