using System.Text.RegularExpressions;

namespace Messenger.Messages.Chat;

/// <summary>A user id is the username normalised to lower case: 3–32 characters of [a-z0-9_.-].</summary>
public static partial class UserId
{
    [GeneratedRegex("^[a-z0-9_.-]{3,32}$")]
    private static partial Regex Valid();

    public static string Normalize(string? username) => (username ?? string.Empty).Trim().ToLowerInvariant();

    public static bool IsValid(string? userId) => userId is not null && Valid().IsMatch(userId);

    /// <summary>Normalises and validates in one step; null when the name can never be a user id.</summary>
    public static string? TryParse(string? username)
    {
        var id = Normalize(username);
        return IsValid(id) ? id : null;
    }
}
