using Akka.Actor;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;

namespace Messenger.Node.Inbox;

/// <summary>
/// Phase 1 of sending: get the recipient's copy stored. Retries with exponential backoff and jitter until the
/// recipient answers or the deadline passes. Its parent (the sender's inbox) then writes the sender's copy.
/// If the recipient stores after the deadline, the recipient drives the sender's copy itself, so no message
/// stays in one copy.
/// </summary>
public sealed class SendSaga : ReceiveActor, IWithTimers
{
    public sealed record ReceiverStored(ChatMessage Message);
    public sealed record ReceiverRejected(Guid ClientMessageId, string Code, string Reason);
    public sealed record GaveUp(Guid ClientMessageId);

    private sealed record Attempt;
    private sealed record Deadline;

    private readonly ChatMessage _message;
    private readonly IActorRef _inboxes;
    private readonly SendSettings _settings;
    private int _attempts;

    public SendSaga(ChatMessage message, IActorRef inboxes, SendSettings settings)
    {
        _message = message;
        _inboxes = inboxes;
        _settings = settings;

        Receive<Attempt>(_ => TryStore());
        Receive<Deadline>(_ => Finish(new GaveUp(_message.ClientMessageId)));
        Receive<UserReplies.IncomingStored>(m => Finish(new ReceiverStored(m.Message)));
        Receive<UserReplies.Rejected>(r =>
        {
            // Unavailable is transient: keep retrying until the deadline. Anything else is the recipient's final word.
            if (r.Code != ErrorCodes.Unavailable)
                Finish(new ReceiverRejected(_message.ClientMessageId, r.Code, r.Reason));
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    // Created per send: the argument form avoids evaluating an expression tree on the hot path.
    public static Props Props(ChatMessage message, IActorRef inboxes, SendSettings settings) =>
        Akka.Actor.Props.Create(typeof(SendSaga), message, inboxes, settings);

    protected override void PreStart()
    {
        Timers.StartSingleTimer("deadline", new Deadline(), _settings.Deadline);
        TryStore();
    }

    private void TryStore()
    {
        _inboxes.Tell(new UserCommands.StoreIncoming(_message.To, _message), Self);
        Timers.StartSingleTimer("attempt", new Attempt(), _settings.Backoff(_attempts++));
    }

    private void Finish(object outcome)
    {
        Context.Parent.Tell(outcome);
        Context.Stop(Self);
    }
}
