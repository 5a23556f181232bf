using Akka;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;
using Messenger.Node.Storage;

namespace Messenger.Tests.Infrastructure;

/// <summary>
/// Stands in for the inbox shard region in entity specs: one child UserInbox per user id, created on demand,
/// stopped on Passivate. It can also make a user's inbox unreachable or crash it, for the saga's failure specs.
/// </summary>
public sealed class LocalInboxes : ReceiveActor, IWithUnboundedStash
{
    public sealed record SetUnreachable(string UserId, bool Unreachable);
    public sealed record Crash(string UserId);
    public sealed record Stop(string UserId);

    /// <summary>While held, a user's inbox that asks to passivate keeps running (and receiving) until released, as an
    /// entity does between its Passivate and its stop message; the request is published as <see cref="PassivationRequested"/>.</summary>
    public sealed record HoldPassivation(string UserId);
    public sealed record ReleasePassivation(string UserId);
    public sealed record PassivationRequested(string UserId);

    /// <summary>The recipient's answer to the next <see cref="UserCommands.StoreRecipientCopy"/> from this sender is lost
    /// on its way back (the copy is still stored); each lost answer is published as <see cref="RecipientAnswerDropped"/>.</summary>
    public sealed record DropNextRecipientAnswer(string SenderId);
    public sealed record RecipientAnswerDropped(UserReplies.RecipientCopyStored Answer);

    private readonly HashSet<string> _unreachable = new();
    private readonly HashSet<string> _holding = new();
    private readonly HashSet<string> _droppingAnswersTo = new();
    private readonly Dictionary<string, (IActorRef Inbox, object StopMessage)> _held = new();

    public LocalInboxes(IInboxArchive archive, SendSettings settings)
    {
        Receive<SetUnreachable>(s =>
        {
            if (s.Unreachable) _unreachable.Add(s.UserId);
            else _unreachable.Remove(s.UserId);
            Sender.Tell(Done.Instance);
        });
        Receive<Crash>(c => StopChild(c.UserId, Kill.Instance, archive, settings));
        Receive<Stop>(s => StopChild(s.UserId, PoisonPill.Instance, archive, settings));
        Receive<HoldPassivation>(h =>
        {
            _holding.Add(h.UserId);
            Sender.Tell(Done.Instance);
        });
        Receive<ReleasePassivation>(r =>
        {
            _holding.Remove(r.UserId);
            if (_held.Remove(r.UserId, out var held)) held.Inbox.Tell(held.StopMessage);
            Sender.Tell(Done.Instance);
        });
        Receive<Passivate>(p =>
        {
            var userId = Sender.Path.Name;
            if (!_holding.Contains(userId))
            {
                Sender.Tell(p.StopMessage);
                return;
            }
            _held[userId] = (Sender, p.StopMessage);
            Context.System.EventStream.Publish(new PassivationRequested(userId));
        });
        Receive<DropNextRecipientAnswer>(d =>
        {
            _droppingAnswersTo.Add(d.SenderId);
            Sender.Tell(Done.Instance);
        });
        // Answers routed here instead of to the sender's inbox are the lost ones.
        Receive<UserReplies.RecipientCopyStored>(lost => Context.System.EventStream.Publish(new RecipientAnswerDropped(lost)));
        Receive<IWithUserId>(m =>
        {
            if (_unreachable.Contains(m.UserId)) return;
            var child = Context.Child(m.UserId);
            if (child.IsNobody()) child = Context.ActorOf(UserInbox.Props(m.UserId, Self, archive, settings), m.UserId);
            if (m is UserCommands.StoreRecipientCopy store && _droppingAnswersTo.Remove(store.Message.From)) child.Tell(m, Self);
            else child.Forward(m);
        });
    }

    /// <summary>Stops (or crashes) a user's inbox and answers once it is gone.</summary>
    private void StopChild(string userId, object how, IInboxArchive archive, SendSettings settings)
    {
            var child = Context.Child(userId);
            if (child.IsNobody())
            {
                Sender.Tell(Done.Instance);
                return;
            }
            Context.Watch(child);
            child.Tell(how);
            var replyTo = Sender;
            BecomeStacked(() => Stopping(child, replyTo, archive, settings));
    }

    private void Stopping(IActorRef child, IActorRef replyTo, IInboxArchive archive, SendSettings settings)
    {
        Receive<Terminated>(t => t.ActorRef.Equals(child), _ =>
        {
            replyTo.Tell(Done.Instance);
            UnbecomeStacked();
            Stash.UnstashAll();
        });
        ReceiveAny(_ => Stash.Stash());
    }

    public IStash Stash { get; set; } = null!;

    public static Props Props(IInboxArchive archive, SendSettings settings) =>
        Akka.Actor.Props.Create(() => new LocalInboxes(archive, settings));
}
