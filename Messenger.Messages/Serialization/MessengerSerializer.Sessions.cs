using Messenger.Messages.Accounts;
using P = Messenger.Messages.Serialization.Proto;

namespace Messenger.Messages.Serialization;

/// <summary>Account sign-in limits and sessions: commands, replies and events.</summary>
public sealed partial class MessengerSerializer
{
    private static P.AccountBeginSignIn ToProto(AccountCommands.BeginSignIn m) => new() { Username = m.Username };

    private static AccountCommands.BeginSignIn FromProto(P.AccountBeginSignIn p) => new(p.Username);

    private static P.AccountSignInSucceeded ToProto(AccountCommands.SignInSucceeded m) => new() { Username = m.Username };

    private static AccountCommands.SignInSucceeded FromProto(P.AccountSignInSucceeded p) => new(p.Username);

    private static P.AccountSignInUnchecked ToProto(AccountCommands.SignInUnchecked m) => new() { Username = m.Username };

    private static AccountCommands.SignInUnchecked FromProto(P.AccountSignInUnchecked p) => new(p.Username);

    private static P.AccountGetSessions ToProto(AccountCommands.GetSessions m) => new() { Username = m.Username };

    private static AccountCommands.GetSessions FromProto(P.AccountGetSessions p) => new(p.Username);

    private static P.AccountRevokeToken ToProto(AccountCommands.RevokeToken m) =>
        new() { Username = m.Username, TokenId = m.TokenId, ExpiresAtTicks = ToTicks(m.ExpiresAt) };

    private static AccountCommands.RevokeToken FromProto(P.AccountRevokeToken p) =>
        new(p.Username, p.TokenId, ToDateTime(p.ExpiresAtTicks));

    private static P.AccountRevokeSessions ToProto(AccountCommands.RevokeSessions m) => new() { Username = m.Username };

    private static AccountCommands.RevokeSessions FromProto(P.AccountRevokeSessions p) => new(p.Username);

    private static P.AccountChangePassword ToProto(AccountCommands.ChangePassword m) =>
        new() { Username = m.Username, PasswordHash = m.PasswordHash };

    private static AccountCommands.ChangePassword FromProto(P.AccountChangePassword p) => new(p.Username, p.PasswordHash);

    private static P.AccountSignInAdmitted ToProto(AccountReplies.SignInAdmitted m)
    {
        var p = new P.AccountSignInAdmitted { Username = m.Username, Generation = m.Generation };
        if (m.PasswordHash is not null) p.PasswordHash = m.PasswordHash;
        return p;
    }

    private static AccountReplies.SignInAdmitted FromProto(P.AccountSignInAdmitted p) =>
        new(p.Username, p.HasPasswordHash ? p.PasswordHash : null, p.Generation);

    private static P.AccountSignInThrottled ToProto(AccountReplies.SignInThrottled m) =>
        new() { Username = m.Username, RetryAfterTicks = m.RetryAfter.Ticks };

    private static AccountReplies.SignInThrottled FromProto(P.AccountSignInThrottled p) =>
        new(p.Username, TimeSpan.FromTicks(p.RetryAfterTicks));

    private static P.AccountSessions ToProto(AccountReplies.Sessions m)
    {
        var p = new P.AccountSessions { Username = m.Username, Version = m.Version, Generation = m.Generation };
        p.RevokedTokenIds.AddRange(m.RevokedTokenIds);
        return p;
    }

    private static AccountReplies.Sessions FromProto(P.AccountSessions p) =>
        new(p.Username, p.Version, p.Generation, p.RevokedTokenIds.ToList());

    private static P.AccountTokenRevoked ToProto(AccountEvents.TokenRevoked m) =>
        new() { Username = m.Username, TokenId = m.TokenId, ExpiresAtTicks = ToTicks(m.ExpiresAt) };

    private static AccountEvents.TokenRevoked FromProto(P.AccountTokenRevoked p) =>
        new(p.Username, p.TokenId, ToDateTime(p.ExpiresAtTicks));

    private static P.AccountSessionsRevoked ToProto(AccountEvents.SessionsRevoked m) =>
        new() { Username = m.Username, Generation = m.Generation, AtTicks = ToTicks(m.At) };

    private static AccountEvents.SessionsRevoked FromProto(P.AccountSessionsRevoked p) =>
        new(p.Username, p.Generation, ToDateTime(p.AtTicks));

    private static P.AccountPasswordChanged ToProto(AccountEvents.PasswordChanged m) =>
        new() { Username = m.Username, PasswordHash = m.PasswordHash, Generation = m.Generation, AtTicks = ToTicks(m.At) };

    private static AccountEvents.PasswordChanged FromProto(P.AccountPasswordChanged p) =>
        new(p.Username, p.PasswordHash, p.Generation, ToDateTime(p.AtTicks));
}
