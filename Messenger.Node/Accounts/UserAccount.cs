using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Persistence;
using Messenger.Messages.Accounts;

namespace Messenger.Node.Accounts;

/// <summary>
/// The account of one username, sharded by that name: being the only writer of its name makes usernames unique
/// without a lock or a unique index. Holds the password hash (hashing happens at the edge, off the actor).
/// </summary>
public sealed class UserAccount : ReceivePersistentActor
{
    private readonly string _username;
    private string? _passwordHash;

    public UserAccount(string username)
    {
        _username = username;
        Recover<AccountEvents.AccountCreated>(e => _passwordHash = e.PasswordHash);

        Command<AccountCommands.Register>(register =>
        {
            if (_passwordHash is not null)
            {
                Sender.Tell(new AccountReplies.UsernameTaken(_username));
                return;
            }
            Persist(new AccountEvents.AccountCreated(_username, register.PasswordHash, DateTime.UtcNow), e =>
            {
                _passwordHash = e.PasswordHash;
                Sender.Tell(new AccountReplies.Registered(_username));
            });
        });
        Command<AccountCommands.GetCredentials>(_ => Sender.Tell(new AccountReplies.Credentials(_username, _passwordHash)));
        Command<ReceiveTimeout>(_ => Context.Parent.Tell(new Passivate(PoisonPill.Instance)));
    }

    public override string PersistenceId => "account-" + _username;

    public static Props Props(string username) => Akka.Actor.Props.Create(() => new UserAccount(username));

    protected override void PreStart()
    {
        // Accounts are touched at sign-up and sign-in only: let them go soon.
        Context.SetReceiveTimeout(TimeSpan.FromSeconds(30));
        base.PreStart();
    }
}
