using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Persistence;
using Messenger.Messages.Accounts;

namespace Messenger.Node.Accounts;

/// <summary>
/// The account of one username, sharded by that name: being the only writer of its name makes usernames unique
/// without a lock or a unique index. Holds the password hash (hashing happens at the edge, off the actor), the
/// sessions (which tokens still work) and the guessing limit, which is therefore one per account across the cluster.
/// </summary>
public sealed class UserAccount : ReceivePersistentActor
{
    private static readonly TimeSpan IdleAfter = TimeSpan.FromSeconds(30);

    private readonly string _username;
    private readonly SignInThrottle _throttle;
    private readonly AccountSessions _sessions = new();
    private string? _passwordHash;

    public UserAccount(string username, SignInLimits limits)
    {
        _username = username;
        _throttle = new SignInThrottle(limits);
        Recover<AccountEvents.AccountCreated>(e => _passwordHash = e.PasswordHash);
        Recover<AccountEvents.TokenRevoked>(e => _sessions.Apply(e));
        Recover<AccountEvents.SessionsRevoked>(e => _sessions.Apply(e));
        Recover<AccountEvents.PasswordChanged>(e =>
        {
            _passwordHash = e.PasswordHash;
            _sessions.Apply(e);
        });

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
        Command<AccountCommands.BeginSignIn>(_ =>
        {
            var wait = _throttle.Admit(DateTime.UtcNow);
            Sender.Tell(wait is { } retryAfter
                ? new AccountReplies.SignInThrottled(_username, retryAfter)
                : new AccountReplies.SignInAdmitted(_username, _passwordHash, _sessions.Generation));
        });
        Command<AccountCommands.SignInSucceeded>(_ =>
        {
            _throttle.Succeeded();
            Sender.Tell(Sessions());
        });
        Command<AccountCommands.SignInUnchecked>(_ => _throttle.Unchecked());
        Command<AccountCommands.GetSessions>(_ => Sender.Tell(Sessions()));
        Command<AccountCommands.RevokeToken>(revoke =>
            Persist(new AccountEvents.TokenRevoked(_username, revoke.TokenId, revoke.ExpiresAt), e =>
            {
                _sessions.Apply(e);
                Announce();
            }));
        Command<AccountCommands.RevokeSessions>(_ =>
            Persist(new AccountEvents.SessionsRevoked(_username, _sessions.Generation + 1, DateTime.UtcNow), e =>
            {
                _sessions.Apply(e);
                Announce();
            }));
        Command<AccountCommands.ChangePassword>(change =>
            Persist(new AccountEvents.PasswordChanged(_username, change.PasswordHash, _sessions.Generation + 1, DateTime.UtcNow), e =>
            {
                // The edge checked the current password to get here: that is a successful sign-in.
                _throttle.Succeeded();
                _passwordHash = e.PasswordHash;
                _sessions.Apply(e);
                Announce();
            }));
        Command<ReceiveTimeout>(_ =>
        {
            // The guessing limit lives in memory: stay until it has nothing left to remember.
            if (_throttle.IsIdle(DateTime.UtcNow)) Context.Parent.Tell(new Passivate(PoisonPill.Instance));
        });
    }

    public override string PersistenceId => "account-" + _username;

    public static Props Props(string username, SignInLimits limits) => Akka.Actor.Props.Create(() => new UserAccount(username, limits));

    protected override void PreStart()
    {
        // Accounts are touched at sign-in, sign-out and on a node's token-cache miss only: let them go soon.
        Context.SetReceiveTimeout(IdleAfter);
        base.PreStart();
    }

    private AccountReplies.Sessions Sessions() => _sessions.Describe(_username, LastSequenceNr, DateTime.UtcNow);

    /// <summary>Answers the edge that asked and tells every node's token cache (at most once: see SessionCache's refresh).</summary>
    private void Announce()
    {
        var sessions = Sessions();
        Sender.Tell(sessions);
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Publish(SessionsTopic.Name, sessions));
    }
}
