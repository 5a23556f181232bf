using Messenger.Messages.Accounts;
using P = Messenger.Messages.Serialization.Proto;

namespace Messenger.Messages.Serialization;

/// <summary>Account commands, replies and events.</summary>
public sealed partial class MessengerSerializer
{
    private static P.AccountRegister ToProto(AccountCommands.Register m) =>
        new() { Username = m.Username, PasswordHash = m.PasswordHash };

    private static AccountCommands.Register FromProto(P.AccountRegister p) => new(p.Username, p.PasswordHash);

    private static P.AccountGetCredentials ToProto(AccountCommands.GetCredentials m) => new() { Username = m.Username };

    private static AccountCommands.GetCredentials FromProto(P.AccountGetCredentials p) => new(p.Username);

    private static P.AccountRegistered ToProto(AccountReplies.Registered m) => new() { Username = m.Username };

    private static AccountReplies.Registered FromProto(P.AccountRegistered p) => new(p.Username);

    private static P.AccountUsernameTaken ToProto(AccountReplies.UsernameTaken m) => new() { Username = m.Username };

    private static AccountReplies.UsernameTaken FromProto(P.AccountUsernameTaken p) => new(p.Username);

    private static P.AccountCredentials ToProto(AccountReplies.Credentials m)
    {
        var p = new P.AccountCredentials { Username = m.Username };
        if (m.PasswordHash is not null) p.PasswordHash = m.PasswordHash;
        return p;
    }

    private static AccountReplies.Credentials FromProto(P.AccountCredentials p) =>
        new(p.Username, p.HasPasswordHash ? p.PasswordHash : null);

    private static P.AccountCreated ToProto(AccountEvents.AccountCreated m) =>
        new() { Username = m.Username, PasswordHash = m.PasswordHash, AtTicks = ToTicks(m.At) };

    private static AccountEvents.AccountCreated FromProto(P.AccountCreated p) =>
        new(p.Username, p.PasswordHash, ToDateTime(p.AtTicks));
}
