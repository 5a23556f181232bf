using Messenger.Messages.Accounts;
using static Messenger.Messages.Serialization.ProtoValues;
using P = Messenger.Messages.Serialization.Proto;

namespace Messenger.Messages.Serialization.Formats;

/// <summary>Sign-in limits and sessions of an account: commands, replies and (persisted) events.</summary>
internal static class SessionFormats
{
    public static void Register(MessageRegistryBuilder r) => r
        // Commands
        .Add<AccountCommands.BeginSignIn, P.AccountBeginSignIn>("a-begin-signin",
            m => new() { Username = m.Username },
            p => new(p.Username))
        .Add<AccountCommands.SignInSucceeded, P.AccountSignInSucceeded>("a-signin-ok",
            m => new() { Username = m.Username },
            p => new(p.Username))
        .Add<AccountCommands.GetSessions, P.AccountGetSessions>("a-get-sessions",
            m => new() { Username = m.Username },
            p => new(p.Username))
        .Add<AccountCommands.SignInUnchecked, P.AccountSignInUnchecked>("a-signin-unchecked",
            m => new() { Username = m.Username },
            p => new(p.Username))
        .Add<AccountCommands.RevokeToken, P.AccountRevokeToken>("a-revoke-token",
            m => new() { Username = m.Username, TokenId = m.TokenId, ExpiresAtTicks = ToTicks(m.ExpiresAt) },
            p => new(p.Username, p.TokenId, ToDateTime(p.ExpiresAtTicks)))
        .Add<AccountCommands.RevokeSessions, P.AccountRevokeSessions>("a-revoke-all",
            m => new() { Username = m.Username },
            p => new(p.Username))
        .Add<AccountCommands.ChangePassword, P.AccountChangePassword>("a-change-pw",
            m => new() { Username = m.Username, PasswordHash = m.PasswordHash },
            p => new(p.Username, p.PasswordHash))

        // Replies
        .Add<AccountReplies.SignInAdmitted, P.AccountSignInAdmitted>("a-signin-admitted",
            m =>
            {
                var p = new P.AccountSignInAdmitted { Username = m.Username, Generation = m.Generation };
                if (m.PasswordHash is not null) p.PasswordHash = m.PasswordHash;
                return p;
            },
            p => new(p.Username, p.HasPasswordHash ? p.PasswordHash : null, p.Generation))
        .Add<AccountReplies.SignInThrottled, P.AccountSignInThrottled>("a-signin-throttled",
            m => new() { Username = m.Username, RetryAfterTicks = m.RetryAfter.Ticks },
            p => new(p.Username, TimeSpan.FromTicks(p.RetryAfterTicks)))
        .Add<AccountReplies.Sessions, P.AccountSessions>("a-sessions",
            m =>
            {
                var p = new P.AccountSessions { Username = m.Username, Version = m.Version, Generation = m.Generation };
                p.RevokedTokenIds.AddRange(m.RevokedTokenIds);
                return p;
            },
            p => new(p.Username, p.Version, p.Generation, p.RevokedTokenIds.ToList()))

        // Events (persisted)
        .Add<AccountEvents.TokenRevoked, P.AccountTokenRevoked>("a-token-revoked",
            m => new() { Username = m.Username, TokenId = m.TokenId, ExpiresAtTicks = ToTicks(m.ExpiresAt) },
            p => new(p.Username, p.TokenId, ToDateTime(p.ExpiresAtTicks)))
        .Add<AccountEvents.SessionsRevoked, P.AccountSessionsRevoked>("a-sessions-revoked",
            m => new() { Username = m.Username, Generation = m.Generation, AtTicks = ToTicks(m.At) },
            p => new(p.Username, p.Generation, ToDateTime(p.AtTicks)))
        .Add<AccountEvents.PasswordChanged, P.AccountPasswordChanged>("a-pw-changed",
            m => new() { Username = m.Username, PasswordHash = m.PasswordHash, Generation = m.Generation, AtTicks = ToTicks(m.At) },
            p => new(p.Username, p.PasswordHash, p.Generation, ToDateTime(p.AtTicks)));
}
