namespace Messenger.Messages.Accounts;

/// <summary>Addressed to the account entity of one username: one entity per name makes names unique without locks.</summary>
public interface IWithUsername : IMessengerMessage
{
    string Username { get; }
}

public static class AccountCommands
{
    public sealed record Register(string Username, string PasswordHash) : IWithUsername;

    public sealed record GetCredentials(string Username) : IWithUsername;

    /// <summary>
    /// Asks to check a password for this account (sign-in, or the current password of a password change). Answered
    /// <see cref="AccountReplies.SignInAdmitted"/> (the attempt counts as a failure until <see cref="SignInSucceeded"/>)
    /// or <see cref="AccountReplies.SignInThrottled"/>, before anyone hashes anything.
    /// </summary>
    public sealed record BeginSignIn(string Username) : IWithUsername;

    /// <summary>The admitted password was right: the guessing backoff starts over. Answered with <see cref="AccountReplies.Sessions"/>.</summary>
    public sealed record SignInSucceeded(string Username) : IWithUsername;

    /// <summary>The admitted password could not be checked (no hashing slot in time): the attempt does not count.</summary>
    public sealed record SignInUnchecked(string Username) : IWithUsername;

    /// <summary>Answered with <see cref="AccountReplies.Sessions"/>: what a node caches to check tokens.</summary>
    public sealed record GetSessions(string Username) : IWithUsername;

    /// <summary>Sign-out of one token (until it would have expired anyway).</summary>
    public sealed record RevokeToken(string Username, string TokenId, DateTime ExpiresAt) : IWithUsername;

    /// <summary>Sign-out everywhere: every token issued so far stops working.</summary>
    public sealed record RevokeSessions(string Username) : IWithUsername;

    /// <summary>New password hash; every token issued so far stops working (the edge issues a new one).</summary>
    public sealed record ChangePassword(string Username, string PasswordHash) : IWithUsername;
}

public static class AccountReplies
{
    public sealed record Registered(string Username) : IMessengerMessage;

    public sealed record UsernameTaken(string Username) : IMessengerMessage;

    /// <summary><see cref="PasswordHash"/> is null when no such account exists.</summary>
    public sealed record Credentials(string Username, string? PasswordHash) : IMessengerMessage;

    /// <summary>Check the password against <see cref="PasswordHash"/> (null: no such account, nothing to check).</summary>
    public sealed record SignInAdmitted(string Username, string? PasswordHash, long Generation) : IMessengerMessage;

    /// <summary>Too many recent failures for this account: try again after <see cref="RetryAfter"/>.</summary>
    public sealed record SignInThrottled(string Username, TimeSpan RetryAfter) : IMessengerMessage;

    /// <summary>
    /// Which tokens of the user still work: those of <see cref="Generation"/> whose id is not in
    /// <see cref="RevokedTokenIds"/>. <see cref="Version"/> grows with every change (the account's journal position),
    /// so a cache never replaces newer state with older. Also published to every node when it changes.
    /// </summary>
    public sealed record Sessions(string Username, long Version, long Generation, IReadOnlyList<string> RevokedTokenIds)
        : IMessengerMessage;
}

public static class AccountEvents
{
    public sealed record AccountCreated(string Username, string PasswordHash, DateTime At) : IMessengerMessage;

    public sealed record TokenRevoked(string Username, string TokenId, DateTime ExpiresAt) : IMessengerMessage;

    public sealed record SessionsRevoked(string Username, long Generation, DateTime At) : IMessengerMessage;

    public sealed record PasswordChanged(string Username, string PasswordHash, long Generation, DateTime At) : IMessengerMessage;
}
