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
}

public static class AccountReplies
{
    public sealed record Registered(string Username) : IMessengerMessage;

    public sealed record UsernameTaken(string Username) : IMessengerMessage;

    /// <summary><see cref="PasswordHash"/> is null when no such account exists.</summary>
    public sealed record Credentials(string Username, string? PasswordHash) : IMessengerMessage;
}

public static class AccountEvents
{
    public sealed record AccountCreated(string Username, string PasswordHash, DateTime At) : IMessengerMessage;
}
