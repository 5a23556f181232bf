using Messenger.Messages.Chat;
using Messenger.Messages.Groups;
using static Messenger.Messages.Groups.GroupCommands;
using static Messenger.Messages.Groups.GroupEvents;
using static Messenger.Messages.Users.UserReplies;

namespace Messenger.Node.Groups;

/// <summary>
/// The decisions of one group, without Akka and without reading the clock: a command in, effects out (persist, reply,
/// tell a member's inbox), like the inbox's core. Two copies of the state: <see cref="State"/> has every decided event
/// applied at once (so the next command sees it: two adds of one member make one event), <see cref="Durable"/> only
/// those the journal confirmed (what a snapshot may hold). A fan-out starts once its event is durable.
/// </summary>
public sealed class GroupCore
{
    private readonly GroupFanOuts _fanOuts;
    private readonly List<Waiter> _waiters = new();
    private readonly List<Guid> _done = new();
    private bool _writingDone;
    private int _writes;

    public GroupCore(string groupId, GroupSettings settings)
    {
        State = new GroupState(groupId);
        Durable = new GroupState(groupId);
        _fanOuts = new GroupFanOuts(settings);
    }

    public GroupState State { get; }
    public GroupState Durable { get; }
    public GroupFanOuts FanOuts => _fanOuts;

    /// <summary>Nothing owed, nothing being written, nobody waiting: the group may passivate without losing work.</summary>
    public bool Idle => _fanOuts.Count == 0 && _writes == 0 && _waiters.Count == 0 && _done.Count == 0;

    public bool NeedsTick => _fanOuts.Count > 0;

    /// <summary>An edge waiting for its membership change: answered once every event of it has every copy durable.</summary>
    private sealed record Waiter(object To, HashSet<Guid> Pending, GroupRoster Roster);

    /// <summary>Applies a recovered event (or snapshot's state is restored directly on both copies).</summary>
    public void Recover(object evt)
    {
        State.Apply(evt);
        Durable.Apply(evt);
    }

    public void Restore(GroupSnapshots.GroupSnapshot snapshot)
    {
        State.Restore(snapshot);
        Durable.Restore(snapshot);
    }

    /// <summary>After recovery: every fan-out the journal says is unfinished is driven again (inboxes dedupe copies).</summary>
    public List<GroupEffect> Recovered(DateTime now)
    {
        var fx = new List<GroupEffect>();
        foreach (var stamped in Durable.Unfinished.OrderBy(s => s.Message.Order, StringComparer.Ordinal).ToList())
            Ask(_fanOuts.Start(stamped, now), fx);
        return fx;
    }

    public List<GroupEffect> Handle(object command, object replyTo, DateTime now)
    {
        var fx = new List<GroupEffect>();
        switch (command)
        {
            case GroupCopyStored stored: CopyStored(stored.MessageId, stored.UserId, now, fx); break;
            case CreateGroup or GetGroup or RenameGroup or AddMember or RemoveMember or MakeAdmin or PostMessage:
                Decide(command, replyTo, now, fx);
                break;
        }
        return fx;
    }

    private void Decide(object command, object replyTo, DateTime now, List<GroupEffect> fx)
    {
        switch (GroupRules.Decide(State, command, now))
        {
            case GroupDecision.Refused refused:
                fx.Add(new GroupEffect.Reply(replyTo, new Rejected(refused.Code, refused.Reason, (command as PostMessage)?.ClientMessageId)));
                break;
            case GroupDecision.Unchanged:
                Unchanged(command, replyTo, fx);
                break;
            case GroupDecision.Known:
                // In flight: the fan-out answers the sender's inbox with its copy. Finished: that copy is durable already.
                break;
            case GroupDecision.Changed changed:
                foreach (var stamped in changed.Events)
                {
                    State.Apply(stamped);
                    Persist(stamped, fx);
                }
                if (command is not PostMessage)
                    _waiters.Add(new Waiter(replyTo, changed.Events.Select(e => e.Message.MessageId).ToHashSet(),
                        changed.Events[^1].Message.Roster!));
                break;
        }
    }

    /// <summary>A creator's retry waits for the creation's copies like the first try; everything else is answered now.</summary>
    private void Unchanged(object command, object replyTo, List<GroupEffect> fx)
    {
        if (command is CreateGroup
            && State.Unfinished.FirstOrDefault(s => s.Message.Kind == MessageKinds.GroupCreated) is { } creation)
        {
            _waiters.Add(new Waiter(replyTo, [creation.Message.MessageId], creation.Message.Roster!));
            return;
        }
        fx.Add(new GroupEffect.Reply(replyTo, State.View()));
    }

    public List<GroupEffect> Persisted(object evt, DateTime now)
    {
        var fx = new List<GroupEffect>();
        _writes--;
        Durable.Apply(evt);
        switch (evt)
        {
            case MessageStamped stamped:
                Ask(_fanOuts.Start(stamped, now), fx);
                break;
            case FanOutsDone:
                _writingDone = false;
                FlushDone(fx);
                break;
        }
        return fx;
    }

    public List<GroupEffect> Tick(DateTime now)
    {
        var fx = new List<GroupEffect>();
        Ask(_fanOuts.Due(now), fx);
        return fx;
    }

    /// <summary>
    /// A member's inbox refused a copy. <c>not_found</c>: no such inbox (no account; the edge checks users exist), so that
    /// member can hold no copy and is dropped from this fan-out. Anything else (storage unavailable) is retried.
    /// </summary>
    public List<GroupEffect> MemberRefused(string userId, Rejected refused, DateTime now)
    {
        var fx = new List<GroupEffect>();
        if (refused.Code != ErrorCodes.NotFound || refused.ClientMessageId is not { } clientMessageId) return fx;
        foreach (var messageId in _fanOuts.WithClientMessageId(clientMessageId)) CopyStored(messageId, userId, now, fx);
        return fx;
    }

    private void CopyStored(Guid messageId, string userId, DateTime now, List<GroupEffect> fx)
    {
        var (next, complete) = _fanOuts.Stored(messageId, userId, now);
        Ask(next, fx);
        if (!complete) return;
        _done.Add(messageId);
        FlushDone(fx);
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            var waiter = _waiters[i];
            if (!waiter.Pending.Remove(messageId) || waiter.Pending.Count > 0) continue;
            _waiters.RemoveAt(i);
            fx.Add(new GroupEffect.Reply(waiter.To,
                new GroupReplies.GroupView(State.GroupId, waiter.Roster.Name, State.CreatedAt, waiter.Roster.Members)));
        }
    }

    /// <summary>One FanOutsDone write at a time; completions meanwhile ride in the next one.</summary>
    private void FlushDone(List<GroupEffect> fx)
    {
        if (_writingDone || _done.Count == 0) return;
        var done = new FanOutsDone(_done.ToArray());
        _done.Clear();
        _writingDone = true;
        State.Apply(done);
        Persist(done, fx);
    }

    /// <summary>The group stops with edges still waiting (a write failed, a crash): they hear unavailable now rather
    /// than at their own timeout. The changes may or may not be stored; the next incarnation finishes what is.</summary>
    public List<GroupEffect> Stopped()
    {
        var fx = _waiters.Select(w => (GroupEffect)new GroupEffect.Reply(w.To, Unavailable())).ToList();
        _waiters.Clear();
        return fx;
    }

    /// <summary>What a command hears when the group cannot use its storage (recovery or a write failed).</summary>
    public static Rejected? UnavailableFor(object command, bool asked) => command switch
    {
        PostMessage post => new Rejected(ErrorCodes.Unavailable, Messenger.Messages.Users.RejectionReasons.StorageUnavailable,
            post.ClientMessageId),
        GroupCopyStored => null,
        _ when asked => Unavailable(),
        _ => null,
    };

    private static Rejected Unavailable() =>
        new(ErrorCodes.Unavailable, Messenger.Messages.Users.RejectionReasons.StorageUnavailable);

    private void Persist(object evt, List<GroupEffect> fx)
    {
        _writes++;
        fx.Add(new GroupEffect.Persist(evt));
    }

    private static void Ask(List<Messenger.Messages.Users.UserCommands.StoreGroupCopy> copies, List<GroupEffect> fx)
    {
        foreach (var copy in copies) fx.Add(new GroupEffect.ToInbox(copy));
    }
}
