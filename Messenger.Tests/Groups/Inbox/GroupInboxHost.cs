using Akka.Actor;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;
using Messenger.Node.Storage;

namespace Messenger.Tests.Groups.Inbox;

/// <summary>
/// Plays the inbox shard region for the group inbox entity specs: one UserInbox child per user, created on demand,
/// each given <c>groups</c> (the spec's stand-in for the group region). <see cref="Stop"/> stops a user's inbox and
/// answers once it is gone, so the next command recovers it from the journal.
/// </summary>
public sealed class GroupInboxHost : ReceiveActor, IWithUnboundedStash
{
    public sealed record Stop(string UserId);

    public IStash Stash { get; set; } = null!;

    public GroupInboxHost(IInboxArchive archive, SendSettings settings, IActorRef groups)
    {
        Receive<Stop>(s =>
        {
            var child = Context.Child(s.UserId);
            if (child.IsNobody())
            {
                Sender.Tell(Akka.Done.Instance);
                return;
            }
            Context.Watch(child);
            child.Tell(PoisonPill.Instance);
            var replyTo = Sender;
            BecomeStacked(() =>
            {
                Receive<Terminated>(t => t.ActorRef.Equals(child), _ =>
                {
                    replyTo.Tell(Akka.Done.Instance);
                    UnbecomeStacked();
                    Stash.UnstashAll();
                });
                ReceiveAny(_ => Stash.Stash());
            });
        });
        Receive<Akka.Cluster.Sharding.Passivate>(p => Sender.Tell(p.StopMessage));
        Receive<IWithUserId>(m =>
        {
            var child = Context.Child(m.UserId);
            if (child.IsNobody()) child = Context.ActorOf(UserInbox.Props(m.UserId, Self, groups, archive, settings), m.UserId);
            child.Forward(m);
        });
    }

    public static Props Props(IInboxArchive archive, SendSettings settings, IActorRef groups) =>
        Akka.Actor.Props.Create(() => new GroupInboxHost(archive, settings, groups));
}
