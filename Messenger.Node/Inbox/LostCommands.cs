using Akka.Actor;
using Akka.Event;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using static Messenger.Messages.Users.UserCommands;
using static Messenger.Messages.Users.UserReplies;

namespace Messenger.Node.Inbox;

/// <summary>
/// Answers the commands that reached an inbox after it stopped: an inbox whose write failed stops at once, and until its
/// shard sees it gone, the shard still hands it commands, which Akka turns into dead letters. Whoever asked (the edge,
/// through an Ask) hears <c>unavailable</c> at once instead of waiting for its deadline; the client retries with the same
/// key and the next command starts the inbox again. One per shard host.
/// </summary>
public sealed class LostCommands : ReceiveActor
{
    public const string Reason = "the inbox stopped; retry with the same clientMessageId";

    public LostCommands()
    {
        Receive<DeadLetter>(dead =>
        {
            if (AnswerFor(dead.Message, dead.Sender) is { } answer) dead.Sender.Tell(answer, ActorRefs.NoSender);
        });
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new LostCommands());

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(DeadLetter));

    /// <summary>An inbox command someone asks for (its sender is an Ask's temporary actor); null for everything else.</summary>
    public static Rejected? AnswerFor(object message, IActorRef? sender)
    {
        if (message is not IWithUserId || sender is null || sender.IsNobody() || sender.Path.Elements.FirstOrDefault() != "temp") return null;
        return new Rejected(ErrorCodes.Unavailable, Reason, (message as SendMessage)?.ClientMessageId);
    }
}
