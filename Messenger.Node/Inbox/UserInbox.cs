using Messenger.Messages.Telemetry;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using Messenger.Messages.Chat;
using Messenger.Messages.Devices;
using Messenger.Messages.Users;
using Messenger.Node.Storage;
using static Messenger.Messages.Users.UserCommands;
using static Messenger.Messages.Users.UserReplies;

namespace Messenger.Node.Inbox;

/// <summary>
/// One user's inbox: a persistent, sharded actor around <see cref="InboxCore"/>. The core decides; this actor only
/// persists, replies, routes to other inboxes, pushes to attached devices and runs storage reads. Being the single
/// writer of the inbox, it is the only lock the system has.
/// </summary>
public sealed class UserInbox : ReceivePersistentActor, IWithTimers
{
    private readonly string _userId;
    private readonly IActorRef _inboxes;
    private readonly IActorRef _groups;
    private readonly IInboxArchive _archive;
    private readonly SendSettings _settings;
    private readonly InboxCore _core;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<IActorRef> _devices = new();
    private readonly PresenceInbox _presence;
    private long _lastSnapshotSequenceNr;
    private bool _snapshotting;
    private bool _passivating;
    private readonly long _startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
    private long _lastActivity = Environment.TickCount64;
    // Who waits on a command that arrived during recovery: Akka stashes such commands and drops them when the recovery
    // fails, so they are answered unavailable here instead of hanging until the edge gives up.
    private readonly List<(object Command, IActorRef ReplyTo)> _arrivedWhileRecovering = new();
    private bool _storageFailed;

    public UserInbox(string userId, IActorRef inboxes, IActorRef groups, IInboxArchive archive, SendSettings settings)
    {
        _userId = userId;
        _inboxes = inboxes;
        _groups = groups;
        _archive = archive;
        _settings = settings;
        _core = new InboxCore(userId, settings);
        _presence = new PresenceInbox(userId, inboxes, Context.System);
        MessengerMetrics.InboxActivations.Add(1);

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is not UserSnapshots.InboxSnapshot snapshot) return;
            _core.State.Restore(snapshot);
            _lastSnapshotSequenceNr = offer.Metadata.SequenceNr;
        });
        Recover<RecoveryCompleted>(_ => Recovered());
        RecoverAny(evt => _core.State.Apply(InboxTags.Unwrap(evt), LastSequenceNr));

        Command<AttachDevice>(Attach);
        Command<DetachDevice>(d =>
        {
            if (_devices.Remove(d.Device)) Context.Unwatch(d.Device);
            PresenceMayChange();
        });
        // A device on a node that died is terminated once that node is removed from the cluster (README "Presence").
        Command<Terminated>(t =>
        {
            _devices.Remove(t.ActorRef);
            PresenceMayChange();
        });
        Command<IPresenceCommand>(c => _presence.Handle(c, Sender, Self, _core.State, _devices));
        Command<PresenceInbox.GraceOver>(_ =>
        {
            if (_presence.GraceEnded(_devices.Count, DateTime.UtcNow) is { } change) Write(change);
        });
        Command<Tick>(_ => OnTick());
        Command<KeyLookedUp>(k => Run(_core.KeyLookedUp(k.Key, k.Found, k.Failed, DateTime.UtcNow)));
        Command<IdleCheck>(_ => CheckIdle());
        // The download's access check: answered from the state, whether or not the inbox is open.
        Command<AttachmentQueries.HoldsAttachment>(q =>
            Sender.Tell(new AttachmentQueries.AttachmentHeld(q.AttachmentId, _core.State.Attachments.Holds(q.AttachmentId))));
        Command<SaveSnapshotSuccess>(s =>
        {
            _snapshotting = false;
            DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1));
        });
        Command<SaveSnapshotFailure>(f =>
        {
            // Retried after another SnapshotEvery events (the mark already moved): recovery replays more meanwhile.
            _snapshotting = false;
            _log.Warning(f.Cause, "Snapshot of {0} failed; recovery replays more events", _userId);
        });
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
        CommandAny(command =>
        {
            _lastActivity = Environment.TickCount64;
            Run(_core.Handle(command, Sender, DateTime.UtcNow));
        });
    }

    public override string PersistenceId => "inbox-" + _userId;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary><paramref name="groups"/>: the group region (group sends go there).</summary>
    public static Props Props(string userId, IActorRef inboxes, IActorRef groups, IInboxArchive archive, SendSettings settings) =>
        Akka.Actor.Props.Create(() => new UserInbox(userId, inboxes, groups, archive, settings));

    /// <summary>An inbox without a group region (tools and specs that send no group messages).</summary>
    public static Props Props(string userId, IActorRef inboxes, IInboxArchive archive, SendSettings settings) =>
        Props(userId, inboxes, ActorRefs.Nobody, archive, settings);

    private sealed record Tick;
    private sealed record IdleCheck
    {
        public static readonly IdleCheck Instance = new();
    }
    private sealed record KeyLookedUp(MessageKey Key, InboxMessage? Found, bool Failed);

    private void Recovered()
    {
        _arrivedWhileRecovering.Clear();
        _core.Recovered(DateTime.UtcNow);
        if (_presence.Tracker.Recovered(_core.State.Presence))
            Timers.StartSingleTimer("presence-grace", PresenceInbox.GraceOver.Instance, PresenceTracker.Grace);
        MessengerMetrics.InboxRecovered(_startedAt);
        // A periodic check instead of ReceiveTimeout: a receive timeout is cancelled and scheduled again on every
        // message (two scheduler registrations per command on the send path); this costs one clock read per command.
        // Idle also needs no devices and no saga work (PassivateWhenIdle), so only commands and attaches mark activity.
        Timers.StartPeriodicTimer("idle", IdleCheck.Instance, _settings.PassivateAfter);
        EnsureTicking();
    }

    private void Attach(AttachDevice attach)
    {
        _lastActivity = Environment.TickCount64;
        if (_devices.Add(attach.Device)) Context.Watch(attach.Device);
        PresenceMayChange();
        // Answered even while passivating: this incarnation's PostStop then tells the device to attach again.
        Sender.Tell(new DeviceAttached(_userId, _core.State.Seq));
    }

    private void PresenceMayChange()
    {
        if (_presence.DevicesChanged(_devices.Count, DateTime.UtcNow) is { } change) Write(change);
    }

    private void Run(List<InboxEffect> effects)
    {
        Execute(effects);
        EnsureTicking();
    }

    private void Execute(List<InboxEffect> effects)
    {
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case InboxEffect.Persist persist:
                    Write(persist.Event);
                    break;
                case InboxEffect.Reply reply:
                    ((IActorRef)reply.To).Tell(reply.Message, Self);
                    break;
                case InboxEffect.ToInbox toInbox:
                    _inboxes.Tell(toInbox.Message, Self);
                    break;
                case InboxEffect.ToGroup toGroup:
                    _groups.Tell(toGroup.Message, Self);
                    break;
                case InboxEffect.PushToDevices push:
                    foreach (var device in _devices) device.Tell(push.Frame);
                    break;
                case InboxEffect.FindKey find:
                    FindKey(find);
                    break;
                case InboxEffect.ReadHistory read:
                    ReadHistory(read);
                    break;
                case InboxEffect.ReadInbox read:
                    ReadInbox(read);
                    break;
            }
        }
    }

    private void Write(object evt) =>
        PersistAsync(evt, _ =>
        {
            Run(_core.Persisted(evt, LastSequenceNr, DateTime.UtcNow));
            SnapshotWhenDue();
        });

    protected override bool AroundReceive(Akka.Actor.Receive receive, object message)
    {
        if (IsRecovering && message is IWithUserId) _arrivedWhileRecovering.Add((message, Sender));
        return base.AroundReceive(receive, message);
    }

    /// <summary>Storage could not be read (database down, breaker open): everyone waiting hears unavailable at once.</summary>
    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        if (message is not null) base.OnRecoveryFailure(reason, message);
        else _log.Warning("Inbox {0} could not recover ({1}); {2} waiting commands are answered unavailable",
            _userId, StorageFailure.Describe(StorageFailure.CauseOf(reason)), _arrivedWhileRecovering.Count);
        _storageFailed = true;
        foreach (var (command, replyTo) in _arrivedWhileRecovering)
            if (StorageUnavailable.AnswerFor(command, asked: replyTo.Path.Elements.FirstOrDefault() == "temp") is { } answer)
                replyTo.Tell(answer, Self);
        _arrivedWhileRecovering.Clear();
    }

    /// <summary>The write may or may not be stored; Akka stops the inbox, and its waiters hear storage's unavailable.</summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _storageFailed = true;
        _log.Warning("Inbox {0} could not store its event {1} ({2}: {3}); it stops and recovers on its next command",
            _userId, sequenceNr, StorageFailure.Describe(StorageFailure.CauseOf(cause)), cause.GetBaseException().Message);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _log.Warning(cause, "Journal rejected an event of {0} at {1}; its waiters hear unavailable", _userId, sequenceNr);
        Run(_core.PersistRejected(InboxTags.Unwrap(@event), DateTime.UtcNow));
    }

    /// <summary>Counted from the last snapshot's position, so inboxes that write little per activation still get one.</summary>
    private void SnapshotWhenDue()
    {
        if (_snapshotting || LastSequenceNr - _lastSnapshotSequenceNr < _settings.SnapshotEvery) return;
        _snapshotting = true;
        _lastSnapshotSequenceNr = LastSequenceNr;
        SaveSnapshot(_core.State.ToSnapshot());
    }

    private void FindKey(InboxEffect.FindKey find)
    {
        var key = find.Key;
        _archive.FindByKeyAsync(PersistenceId, key.From, key.ClientMessageId, find.ConversationId).PipeTo(Self,
            success: found => new KeyLookedUp(key, found, Failed: false),
            failure: _ => new KeyLookedUp(key, null, Failed: true));
    }

    private void ReadHistory(InboxEffect.ReadHistory read)
    {
        _archive.HistoryBeforeAsync(PersistenceId, read.ConversationId, read.ConversationNumber, read.Before, read.Limit + 1)
            .ContinueWith(t =>
            {
                if (!t.IsCompletedSuccessfully) return (object)new Rejected(ErrorCodes.Unavailable, "history storage did not answer");
                var rows = t.Result;
                var more = rows.Count > read.Limit;
                var messages = more ? rows.Skip(1).ToList() : rows;
                return new HistoryPage(messages, more ? messages[0].Message.Order : null);
            })
            .PipeTo((IActorRef)read.To);
    }

    private void ReadInbox(InboxEffect.ReadInbox read)
    {
        _archive.InboxAfterAsync(PersistenceId, read.JournalHint, read.After, read.Limit)
            .ContinueWith(t => t.IsCompletedSuccessfully
                ? (object)new InboxPage(t.Result, t.Result.Count > 0 ? t.Result[^1].Seq : read.After)
                : new Rejected(ErrorCodes.Unavailable, "inbox storage did not answer"))
            .PipeTo((IActorRef)read.To);
    }

    private void OnTick()
    {
        Run(_core.Tick(DateTime.UtcNow));
        if (!_core.NeedsTick) Timers.Cancel("tick");
    }

    /// <summary>One periodic tick per inbox, only while it has retries, deadlines or confirmations to run.</summary>
    private void EnsureTicking()
    {
        if (_core.NeedsTick && !Timers.IsTimerActive("tick"))
            Timers.StartPeriodicTimer("tick", new Tick(), _settings.TickInterval);
    }

    /// <summary>Passivates once nothing arrived for PassivateAfter (checked every PassivateAfter, so within twice that).</summary>
    private void CheckIdle()
    {
        if (Environment.TickCount64 - _lastActivity >= (long)_settings.PassivateAfter.TotalMilliseconds) PassivateWhenIdle();
    }

    private void PassivateWhenIdle()
    {
        if (_passivating || _devices.Count > 0 || !_core.Idle || _presence.Tracker.AwaitingDevices) return;
        _passivating = true;
        Context.Parent.Tell(new Passivate(PoisonPill.Instance));
    }

    protected override void PostStop()
    {
        Execute(_core.Stopped(_storageFailed));
        // Devices attach again to the next incarnation and sync from the last seq they got: no push is lost in between.
        var stopped = new DeviceFrames.InboxStopped(_userId);
        foreach (var device in _devices) device.Tell(stopped);
        base.PostStop();
    }
}
