using Akka;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Messenger.Messages.Groups;
using Messenger.Messages.Users;
using Messenger.Node.Groups;
using Messenger.Node.Inbox;
using Messenger.Node.Storage;

namespace Messenger.Tests.Groups.Entity;

/// <summary>
/// Plays both shard regions for the group entity specs (no cluster): real UserInbox children by user id and real
/// GroupChat children by group id, each told the other's "region" (this actor). Like the group region with remember
/// entities, a group that stops without passivating is started again at once, with no message to wake it. Faults:
/// a member's copies can be dropped on their way (all of them, or those of one message body), and any entity crashed.
/// </summary>
public sealed class LocalGroupChats : ReceiveActor
{
    /// <summary>Drops every StoreGroupCopy to <see cref="UserId"/> (only those whose body is <see cref="Body"/>, when set).</summary>
    public sealed record DropCopies(string UserId, string? Body = null);
    public sealed record DeliverCopies(string UserId);

    /// <summary>Kills the entity (a user id or a group id); answered once it is gone (a group: once started again).</summary>
    public sealed record Crash(string EntityId);

    /// <summary>Published on the event stream for each dropped copy.</summary>
    public sealed record CopyDropped(string UserId, Guid MessageId);

    /// <summary>Published on the event stream when an entity asks to passivate (it is then stopped and forgotten).</summary>
    public sealed record Passivated(string EntityId);

    private readonly IInboxArchive _archive;
    private readonly SendSettings _inboxSettings;
    private readonly GroupSettings _groupSettings;
    private readonly Dictionary<string, string?> _dropping = new();
    private readonly HashSet<IActorRef> _passivating = new();
    private readonly Dictionary<IActorRef, IActorRef> _crashing = new();
    // Messages for an entity between its Passivate and its stop wait for the next incarnation, as a shard buffers them.
    private readonly Dictionary<string, List<(object Message, IActorRef Sender)>> _buffered = new();

    public LocalGroupChats(IInboxArchive archive, SendSettings inboxSettings, GroupSettings groupSettings)
    {
        _archive = archive;
        _inboxSettings = inboxSettings;
        _groupSettings = groupSettings;
        Receive<DropCopies>(d =>
        {
            _dropping[d.UserId] = d.Body;
            Sender.Tell(Done.Instance);
        });
        Receive<DeliverCopies>(d =>
        {
            _dropping.Remove(d.UserId);
            Sender.Tell(Done.Instance);
        });
        Receive<Crash>(c =>
        {
            var child = Context.Child(c.EntityId);
            if (child.IsNobody())
            {
                Sender.Tell(Done.Instance);
                return;
            }
            _crashing[child] = Sender;
            child.Tell(Kill.Instance);
        });
        Receive<Passivate>(p =>
        {
            _passivating.Add(Sender);
            _buffered.TryAdd(Sender.Path.Name, new());
            Sender.Tell(p.StopMessage);
            Context.System.EventStream.Publish(new Passivated(Sender.Path.Name));
        });
        Receive<Terminated>(t =>
        {
            var remembered = !_passivating.Remove(t.ActorRef) && t.ActorRef.Path.Name.StartsWith("grp:", StringComparison.Ordinal);
            if (remembered) Start(t.ActorRef.Path.Name);
            if (_buffered.Remove(t.ActorRef.Path.Name, out var waiting))
                foreach (var (message, sender) in waiting) Entity(t.ActorRef.Path.Name).Tell(message, sender);
            if (_crashing.Remove(t.ActorRef, out var replyTo)) replyTo.Tell(Done.Instance);
        });
        Receive<IWithGroupId>(m => Deliver(m.GroupId, m));
        Receive<IWithUserId>(m =>
        {
            if (m is UserCommands.StoreGroupCopy copy && _dropping.TryGetValue(copy.UserId, out var body)
                && (body is null || body == copy.Message.Body))
            {
                Context.System.EventStream.Publish(new CopyDropped(copy.UserId, copy.Message.MessageId));
                return;
            }
            Deliver(m.UserId, m);
        });
    }

    public static Props Props(IInboxArchive archive, SendSettings inboxSettings, GroupSettings groupSettings) =>
        Akka.Actor.Props.Create(() => new LocalGroupChats(archive, inboxSettings, groupSettings));

    private void Deliver(string id, object message)
    {
        if (_buffered.TryGetValue(id, out var waiting)) waiting.Add((message, Sender));
        else Entity(id).Forward(message);
    }

    private IActorRef Entity(string id)
    {
        var child = Context.Child(id);
        return child.IsNobody() ? Start(id) : child;
    }

    private IActorRef Start(string id)
    {
        var props = id.StartsWith("grp:", StringComparison.Ordinal)
            ? GroupChat.Props(id, Self, _groupSettings)
            : UserInbox.Props(id, Self, Self, _archive, _inboxSettings);
        return Context.Watch(Context.ActorOf(props, id));
    }
}
