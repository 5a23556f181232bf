namespace Messenger.Messages.Chat;

/// <summary>The machine codes of the client contract (API.md).</summary>
public static class ErrorCodes
{
    public const string InvalidRequest = "invalid_request";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string UsernameTaken = "username_taken";
    public const string TooLarge = "too_large";
    public const string RateLimited = "rate_limited";
    public const string Unavailable = "unavailable";
}
