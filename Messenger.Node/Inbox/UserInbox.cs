using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Messenger.Messages.Chat;
using Messenger.Messages.Devices;
using Messenger.Messages.Users;
using Messenger.Node.Storage;
using static Messenger.Messages.Users.UserCommands;
using static Messenger.Messages.Users.UserQueries;
using static Messenger.Messages.Users.UserReplies;

namespace Messenger.Node.Inbox;

/// <summary>
/// One user's inbox: a persistent, sharded actor that event-sources the user's copy of every message and is the
/// write-through cache of it. Being the single writer of the inbox, it is the only lock the system has.
/// It is the sender side of the send saga (stamp, recipient first, then its own copy) and the recipient side
/// (store, push to devices, and drive the sender's copy until the sender confirms it).
/// </summary>
public sealed partial class UserInbox : ReceivePersistentActor, IWithTimers
{
    private readonly string _userId;
    private readonly IActorRef _inboxes;
    private readonly IInboxArchive _archive;
    private readonly SendSettings _settings;
    private readonly InboxState _state;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private readonly HashSet<IActorRef> _devices = new();
    private readonly Dictionary<Guid, PendingSend> _pendingSends = new();
    private readonly Dictionary<(string From, Guid Key), List<Waiter>> _inflight = new();
    private readonly Dictionary<(string From, Guid Key), List<(object Command, IActorRef Sender)>> _lookups = new();
    private readonly Dictionary<Guid, (DateTime Due, int Attempts)> _driving = new();
    private readonly List<Guid> _confirmed = new();
    private long _nextSeq;
    private long _clock;
    private long _eventsSinceSnapshot;

    public UserInbox(string userId, IActorRef inboxes, IInboxArchive archive, SendSettings settings)
    {
        _userId = userId;
        _inboxes = inboxes;
        _archive = archive;
        _settings = settings;
        _state = new InboxState(userId, settings.RecentWindow);

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is UserSnapshots.InboxSnapshot snapshot) _state.Restore(snapshot);
        });
        Recover<RecoveryCompleted>(_ => OnRecovered());
        // Journals that keep the Tagged wrapper (the in-memory test journal) replay it; the SQL journal unwraps it.
        RecoverAny(evt => _state.Apply(evt is Tagged tagged ? tagged.Payload : evt, LastSequenceNr));

        Command<OpenInbox>(_ => Open());
        Command<SendMessage>(Send);
        Command<StoreIncoming>(StoreIncomingCopy);
        Command<StoreOutgoing>(StoreOutgoingCopy);
        Command<ConfirmSenderCopy>(c => SenderCopyConfirmed(c.MessageId));
        Command<OutgoingStored>(c => SenderCopyConfirmed(c.MessageId));
        Command<MarkRead>(Read);
        Command<GetConversations>(Conversations);
        Command<GetHistory>(History);
        Command<GetInboxAfter>(InboxAfter);
        Command<AttachDevice>(a =>
        {
            if (_devices.Add(a.Device)) Context.Watch(a.Device);
            Sender.Tell(new DeviceAttached(_userId, _state.Seq));
        });
        Command<DetachDevice>(d =>
        {
            if (_devices.Remove(d.Device)) Context.Unwatch(d.Device);
        });
        Command<Terminated>(t => _devices.Remove(t.ActorRef));
        Command<SendSaga.ReceiverStored>(ReceiverStored);
        Command<SendSaga.ReceiverRejected>(r => FailSend(r.ClientMessageId, new Rejected(r.Code, r.Reason, r.ClientMessageId)));
        Command<SendSaga.GaveUp>(g => FailSend(g.ClientMessageId,
            new Rejected(ErrorCodes.Unavailable, "the recipient's inbox did not answer in time; retry with the same clientMessageId", g.ClientMessageId)));
        Command<KeyLookedUp>(KeyFound);
        Command<FlushTick>(_ => FlushConfirmations());
        Command<DriveTick>(_ => DriveSenderCopies());
        Command<ReceiveTimeout>(_ => PassivateWhenIdle());
        Command<SaveSnapshotSuccess>(s =>
            DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "Snapshot of {0} failed; recovery replays more events", _userId));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    public override string PersistenceId => "inbox-" + _userId;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string userId, IActorRef inboxes, IInboxArchive archive, SendSettings settings) =>
        Akka.Actor.Props.Create(() => new UserInbox(userId, inboxes, archive, settings));

    private sealed record PendingSend(ChatMessage Message, List<IActorRef> Waiters);
    private sealed record KeyLookedUp((string From, Guid Key) Key, InboxMessage? Found, bool Failed);
    private sealed record FlushTick;
    private sealed record DriveTick;

    private enum ReplyKind { Sent, IncomingStored, OutgoingStored }
    private sealed record Waiter(IActorRef To, ReplyKind Kind);

    private void OnRecovered()
    {
        _nextSeq = _state.Seq;
        _clock = _state.Clock;
        Context.SetReceiveTimeout(_settings.PassivateAfter);
        var now = DateTime.UtcNow;
        foreach (var id in _state.AwaitingSenderCopy.Keys)
            _driving[id] = (now + TimeSpan.FromSeconds(1), 0);
        EnsureDriving();
    }

    private void Open()
    {
        if (_state.Opened)
        {
            Sender.Tell(new InboxReady(_userId));
            return;
        }
        var replyTo = Sender;
        PersistAsync(new UserEvents.InboxOpened(_userId, DateTime.UtcNow), e =>
        {
            Applied(e);
            replyTo.Tell(new InboxReady(_userId));
        });
    }

    private void Applied(object evt)
    {
        _state.Apply(evt, LastSequenceNr);
        if (++_eventsSinceSnapshot >= _settings.SnapshotEvery)
        {
            _eventsSinceSnapshot = 0;
            SaveSnapshot(_state.ToSnapshot());
        }
    }

    private void PassivateWhenIdle()
    {
        if (_devices.Count == 0 && _pendingSends.Count == 0 && _inflight.Count == 0 && _lookups.Count == 0
            && _state.AwaitingSenderCopy.Count == 0 && _confirmed.Count == 0)
            Context.Parent.Tell(new Passivate(PoisonPill.Instance));
    }

    protected override void PostStop()
    {
        // Whoever still waits gets a clean "unavailable" instead of a timeout: they retry with the same key.
        var unavailable = new Rejected(ErrorCodes.Unavailable, "the inbox restarted; retry with the same clientMessageId");
        foreach (var p in _pendingSends.Values)
        foreach (var w in p.Waiters) w.Tell(unavailable with { ClientMessageId = p.Message.ClientMessageId });
        foreach (var (key, waiters) in _inflight)
        foreach (var w in waiters) w.To.Tell(unavailable with { ClientMessageId = key.Key });
        foreach (var (key, waiting) in _lookups)
        foreach (var (_, sender) in waiting) sender.Tell(unavailable with { ClientMessageId = key.Key });
        base.PostStop();
    }

    private void PushToDevices(InboxMessage message)
    {
        if (_devices.Count == 0) return;
        var frame = new DeviceFrames.Deliver(message);
        foreach (var device in _devices) device.Tell(frame);
    }
}
