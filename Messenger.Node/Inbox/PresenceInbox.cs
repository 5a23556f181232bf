using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Messenger.Messages.Chat;
using Messenger.Messages.Devices;
using Messenger.Messages.Users;
using static Messenger.Messages.Users.PresenceCommands;

namespace Messenger.Node.Inbox;

/// <summary>
/// The inbox actor's presence and typing side: runs <see cref="PresenceTracker"/> and <see cref="PresenceRules"/>
/// and carries out what they decide. Changes are published on the user's <see cref="PresenceTopic"/> (distributed
/// pub-sub): watchers subscribe on their own node, so an inbox that passivates or moves loses none of them.
/// Nothing here is answered with a write: presence reads and typing never wait for the journal.
/// </summary>
public sealed class PresenceInbox(string userId, IActorRef inboxes, ActorSystem system)
{
    // Without a cluster (entity specs run inboxes on a local actor system) there is no pub-sub to publish to.
    private readonly IActorRef? _mediator = ((ExtendedActorSystem)system).Provider is Akka.Cluster.IClusterActorRefProvider
        ? DistributedPubSub.Get(system).Mediator
        : null;

    public PresenceTracker Tracker { get; } = new(userId);

    /// <summary>To the inbox itself when the grace period after recovering "online" ends.</summary>
    public sealed class GraceOver
    {
        public static readonly GraceOver Instance = new();
    }

    /// <summary>The event to persist when the user came online or went offline (published at once), else null.</summary>
    public PresenceEvents.PresenceRecorded? DevicesChanged(int devices, DateTime now) =>
        Published(Tracker.DevicesChanged(devices, now));

    public PresenceEvents.PresenceRecorded? GraceEnded(int devices, DateTime now) => Published(Tracker.GraceOver(devices, now));

    private PresenceEvents.PresenceRecorded? Published(PresenceEvents.PresenceRecorded? change)
    {
        if (change is not null) _mediator?.Tell(new Publish(PresenceTopic.Of(userId), Tracker.Answer()));
        return change;
    }

    public void Handle(IPresenceCommand command, IActorRef sender, IActorRef self, InboxState state, IEnumerable<IActorRef> devices)
    {
        switch (command)
        {
            case GetPresence get when get.Of == userId:
                sender.Tell(Tracker.Answer(), self);
                break;
            case GetPresence get when PresenceRules.CanSee(state, get.Of):
                // The watched user's own inbox answers the asker directly.
                inboxes.Tell(new ReadPresence(get.Of), sender);
                break;
            case GetPresence:
                sender.Tell(new UserReplies.Rejected(ErrorCodes.NotFound, "no such user, or no conversation with them"), self);
                break;
            case WatchPresence watch:
                sender.Tell(new PresenceReplies.PresenceVisible(watch.Generation, PresenceRules.Visible(state, watch.Of)), self);
                break;
            case ReadPresence:
                sender.Tell(Tracker.Answer(), self);
                break;
            case Typing typing when PresenceRules.TypingTargets(state, typing.ConversationId) is { } targets:
                foreach (var peer in targets) inboxes.Tell(new TypingTo(peer, typing.ConversationId, userId), ActorRefs.NoSender);
                break;
            case Typing typing:
                sender.Tell(new PresenceReplies.TypingRefused(typing.ConversationId, ErrorCodes.NotFound, "no such conversation"), self);
                break;
            case TypingTo to:
                var frame = new TypingFrames.PeerTyping(to.ConversationId, to.From);
                foreach (var device in devices) device.Tell(frame);
                break;
        }
    }
}
