using Messenger.Messages.Accounts;
using static Messenger.Messages.Serialization.ProtoValues;
using P = Messenger.Messages.Serialization.Proto;

namespace Messenger.Messages.Serialization.Formats;

/// <summary>Account commands, replies and events (<see cref="AccountEvents"/> are persisted).</summary>
internal static class AccountFormats
{
    public static void Register(MessageRegistryBuilder r) => r
        // Commands
        .Add<AccountCommands.Register, P.AccountRegister>("a-register",
            m => new() { Username = m.Username, PasswordHash = m.PasswordHash },
            p => new(p.Username, p.PasswordHash))
        .Add<AccountCommands.GetCredentials, P.AccountGetCredentials>("a-get-creds",
            m => new() { Username = m.Username },
            p => new(p.Username))

        // Replies
        .Add<AccountReplies.Registered, P.AccountRegistered>("a-registered",
            m => new() { Username = m.Username },
            p => new(p.Username))
        .Add<AccountReplies.UsernameTaken, P.AccountUsernameTaken>("a-taken",
            m => new() { Username = m.Username },
            p => new(p.Username))
        .Add<AccountReplies.Credentials, P.AccountCredentials>("a-creds",
            m =>
            {
                var p = new P.AccountCredentials { Username = m.Username };
                if (m.PasswordHash is not null) p.PasswordHash = m.PasswordHash;
                return p;
            },
            p => new(p.Username, p.HasPasswordHash ? p.PasswordHash : null))

        // Events (persisted)
        .Add<AccountEvents.AccountCreated, P.AccountCreated>("a-created",
            m => new() { Username = m.Username, PasswordHash = m.PasswordHash, AtTicks = ToTicks(m.At) },
            p => new(p.Username, p.PasswordHash, ToDateTime(p.AtTicks)));
}
