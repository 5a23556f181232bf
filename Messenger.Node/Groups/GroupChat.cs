using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using Messenger.Messages.Groups;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;

namespace Messenger.Node.Groups;

/// <summary>
/// One group: a sharded persistent actor around <see cref="GroupCore"/>. It stamps every message and membership change
/// in one sequence, persists it, and drives each one's fan-out to the members' inboxes until every copy is durable,
/// also after a restart or a failover (the group region remembers its entities, so a group with copies owed comes back
/// by itself). Idle groups passivate and are forgotten.
/// </summary>
public sealed class GroupChat : ReceivePersistentActor, IWithTimers
{
    private readonly string _groupId;
    private readonly IActorRef _inboxes;
    private readonly GroupSettings _settings;
    private readonly GroupCore _core;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _lastSnapshotSequenceNr;
    private bool _snapshotting;
    private bool _passivating;
    private long _lastActivity = Environment.TickCount64;
    // Commands that arrived during recovery: Akka drops them when the recovery fails, so they are answered here.
    private readonly List<(object Command, IActorRef ReplyTo)> _arrivedWhileRecovering = new();

    public GroupChat(string groupId, IActorRef inboxes, GroupSettings settings)
    {
        _groupId = groupId;
        _inboxes = inboxes;
        _settings = settings;
        _core = new GroupCore(groupId, settings);

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is not GroupSnapshots.GroupSnapshot snapshot) return;
            _core.Restore(snapshot);
            _lastSnapshotSequenceNr = offer.Metadata.SequenceNr;
        });
        Recover<RecoveryCompleted>(_ => Recovered());
        RecoverAny(evt => _core.Recover(InboxTags.Unwrap(evt)));

        Command<Tick>(_ => OnTick());
        Command<IdleCheck>(_ => CheckIdle());
        // A member's inbox refused a copy (no such inbox): its name is the entity's, the user id.
        Command<UserReplies.Rejected>(r => Run(_core.MemberRefused(Uri.UnescapeDataString(Sender.Path.Name), r, DateTime.UtcNow)));
        Command<SaveSnapshotSuccess>(s =>
        {
            _snapshotting = false;
            DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1));
        });
        Command<SaveSnapshotFailure>(f =>
        {
            _snapshotting = false;
            _log.Warning(f.Cause, "Snapshot of {0} failed; recovery replays more events", _groupId);
        });
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
        CommandAny(command =>
        {
            _lastActivity = Environment.TickCount64;
            Run(_core.Handle(command, Sender, DateTime.UtcNow));
            PassivateWhenGone();
        });
    }

    public override string PersistenceId => "group-" + _groupId;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string groupId, IActorRef inboxes, GroupSettings settings) =>
        Akka.Actor.Props.Create(() => new GroupChat(groupId, inboxes, settings));

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed record IdleCheck
    {
        public static readonly IdleCheck Instance = new();
    }

    private void Recovered()
    {
        _arrivedWhileRecovering.Clear();
        Timers.StartPeriodicTimer("idle", IdleCheck.Instance, _settings.PassivateAfter);
        Run(_core.Recovered(DateTime.UtcNow));
    }

    private void Run(List<GroupEffect> effects)
    {
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case GroupEffect.Persist persist:
                    Write(persist.Event);
                    break;
                case GroupEffect.Reply reply:
                    ((IActorRef)reply.To).Tell(reply.Message, Self);
                    break;
                case GroupEffect.ToInbox toInbox:
                    _inboxes.Tell(toInbox.Message, Self);
                    break;
            }
        }
        if (_core.NeedsTick && !Timers.IsTimerActive("tick"))
            Timers.StartPeriodicTimer("tick", Tick.Instance, _settings.TickInterval);
    }

    private void Write(object evt) =>
        PersistAsync(evt, _ =>
        {
            Run(_core.Persisted(evt, DateTime.UtcNow));
            SnapshotWhenDue();
            PassivateWhenGone();
        });

    protected override bool AroundReceive(Receive receive, object message)
    {
        if (IsRecovering && message is IWithGroupId) _arrivedWhileRecovering.Add((message, Sender));
        return base.AroundReceive(receive, message);
    }

    /// <summary>Storage could not be read: whoever waits hears unavailable at once (a sender's inbox ends its send).</summary>
    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _log.Warning("Group {0} could not recover ({1}); {2} waiting commands are answered unavailable",
            _groupId, reason.GetBaseException().Message, _arrivedWhileRecovering.Count);
        foreach (var (command, replyTo) in _arrivedWhileRecovering)
            if (GroupCore.UnavailableFor(command, asked: replyTo.Path.Elements.FirstOrDefault() == "temp") is { } answer)
                replyTo.Tell(answer, Self);
        _arrivedWhileRecovering.Clear();
    }

    protected override void PostStop()
    {
        foreach (var reply in _core.Stopped().OfType<GroupEffect.Reply>()) ((IActorRef)reply.To).Tell(reply.Message, Self);
        base.PostStop();
    }

    /// <summary>The decided state ran ahead of the journal: only a recovery makes the two agree again.</summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _log.Warning(cause, "Journal rejected an event of {0} at {1}; the group stops and recovers", _groupId, sequenceNr);
        Context.Stop(Self);
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr) =>
        _log.Warning("Group {0} could not store its event {1} ({2}); it stops and recovers on its next command",
            _groupId, sequenceNr, cause.GetBaseException().Message);

    private void SnapshotWhenDue()
    {
        if (_snapshotting || LastSequenceNr - _lastSnapshotSequenceNr < _settings.SnapshotEvery) return;
        _snapshotting = true;
        _lastSnapshotSequenceNr = LastSequenceNr;
        SaveSnapshot(_core.Durable.ToSnapshot());
    }

    private void OnTick()
    {
        Run(_core.Tick(DateTime.UtcNow));
        if (!_core.NeedsTick) Timers.Cancel("tick");
    }

    private void CheckIdle()
    {
        if (!_core.Idle) return;
        if (Environment.TickCount64 - _lastActivity < (long)_settings.PassivateAfter.TotalMilliseconds) return;
        Passivate();
    }

    /// <summary>No such group (never created, or closed, its last copies written): nothing to keep in memory or
    /// remembered, so naming random group ids costs a recovery each, not an entity for two minutes.</summary>
    private void PassivateWhenGone()
    {
        if (!_core.State.Open && _core.Idle) Passivate();
    }

    /// <summary>Through the shard, which buffers what arrives meanwhile for the next incarnation and forgets the group.</summary>
    private void Passivate()
    {
        if (_passivating) return;
        _passivating = true;
        Context.Parent.Tell(new Passivate(PoisonPill.Instance));
    }
}
