using Messenger.Messages.Chat;
using Messenger.Messages.Groups;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;
using static Messenger.Messages.Users.UserCommands;
using static Messenger.Messages.Users.UserReplies;
using static Messenger.Tests.Groups.Inbox.CoreDriver;

namespace Messenger.Tests.Groups.Inbox;

/// <summary>
/// The sender's side of a group send, on the pure core: the send waits (like a 1:1 send) until the group has written
/// every other member's copy and then the sender's own, which answers it; the group is asked again until the
/// deadline; refusals and the deadline end it; the key names one message as in 1:1.
/// </summary>
public sealed class GroupSendCoreSpecs
{
    private readonly DateTime _now = new(2026, 5, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly GroupCopies _group;
    private readonly CoreDriver _driver;

    public GroupSendCoreSpecs()
    {
        _group = new GroupCopies("grp:team", _now);
        _driver = new CoreDriver(_now);
    }

    /// <summary>Alice, member of the group (her group_created copy is stored).</summary>
    private InboxCore Alice()
    {
        var alice = _driver.Opened("alice");
        var created = _group.Created("Team", "alice", "bob", "carol");
        var stored = Persists<UserEvents.MessageStored>(alice.Handle(new StoreGroupCopy("alice", created), "group", _now));
        _driver.Persisted(alice, stored);
        return alice;
    }

    private static GroupCommands.PostMessage Posted(IEnumerable<InboxEffect> fx) =>
        fx.OfType<InboxEffect.ToGroup>().Select(t => t.Message).OfType<GroupCommands.PostMessage>().Single();

    /// <summary>The group writes the sender's copy last; returns the effects of its write.</summary>
    private List<InboxEffect> OwnCopy(InboxCore sender, ChatMessage message, DateTime at)
    {
        var stored = Persists<UserEvents.MessageStored>(sender.Handle(new StoreGroupCopy(sender.UserId, message), "group", at));
        return _driver.Persisted(sender, stored, at);
    }

    [Fact]
    public void A_group_send_is_posted_to_the_group_and_answered_by_the_senders_own_copy()
    {
        var alice = Alice();
        var key = Guid.NewGuid();
        var post = Posted(alice.Handle(new SendMessage("alice", key, _group.GroupId, "hello all"), "client", _now));
        Assert.Equal(new GroupCommands.PostMessage(_group.GroupId, "alice", key, "hello all", _now, alice.State.Clock), post);
        Assert.False(alice.Idle);

        var message = _group.Stamped(post);
        var fx = OwnCopy(alice, message, _now);
        Assert.Equal(new MessageSent(message), RepliesTo(fx, "client").Single());
        Assert.Equal(new GroupCommands.GroupCopyStored(_group.GroupId, "alice", message.MessageId), RepliesTo(fx, "group").Single());
        Assert.Empty(fx.OfType<InboxEffect.ToInbox>()); // no 1:1 saga traffic for a group message
        Assert.True(alice.Idle);

        var again = RepliesTo(alice.Handle(new SendMessage("alice", key, _group.GroupId, "hello all"), "client-2", _now), "client-2");
        Assert.Equal(new MessageSent(message), again.Single());
        var reused = Assert.IsType<Rejected>(RepliesTo(
            alice.Handle(new SendMessage("alice", key, _group.GroupId, "other"), "client-3", _now), "client-3").Single());
        Assert.Equal(ErrorCodes.InvalidRequest, reused.Code);
    }

    [Fact]
    public void A_second_send_under_a_pending_key_joins_it_and_other_content_is_invalid()
    {
        var alice = Alice();
        var key = Guid.NewGuid();
        var post = Posted(alice.Handle(new SendMessage("alice", key, _group.GroupId, "hello"), "c1", _now));
        Assert.Empty(alice.Handle(new SendMessage("alice", key, _group.GroupId, "hello"), "c2", _now));
        var reused = Assert.IsType<Rejected>(RepliesTo(
            alice.Handle(new SendMessage("alice", key, _group.GroupId, "changed"), "c3", _now), "c3").Single());
        Assert.Equal(ErrorCodes.InvalidRequest, reused.Code);

        var message = _group.Stamped(post);
        var fx = OwnCopy(alice, message, _now);
        Assert.Equal(new MessageSent(message), RepliesTo(fx, "c1").Single());
        Assert.Equal(new MessageSent(message), RepliesTo(fx, "c2").Single());
    }

    [Fact]
    public void The_group_is_asked_again_until_the_deadline_then_the_send_is_unavailable()
    {
        var alice = Alice();
        var key = Guid.NewGuid();
        var first = Posted(alice.Handle(new SendMessage("alice", key, _group.GroupId, "hello"), "client", _now));

        var retry = Posted(alice.Tick(_now + Settings.MaxRetry));
        Assert.Equal(first, retry);

        var expired = alice.Tick(_now + Settings.Deadline);
        var answer = Assert.IsType<Rejected>(RepliesTo(expired, "client").Single());
        Assert.Equal(ErrorCodes.Unavailable, answer.Code);
        Assert.Equal(key, answer.ClientMessageId);
        Assert.True(alice.Idle);

        // The fan-out went on: the copy that lands later is stored, and the client's retry gets it.
        var message = _group.Stamped(first);
        Assert.Empty(RepliesTo(OwnCopy(alice, message, _now + Settings.Deadline), "client"));
        var retried = RepliesTo(alice.Handle(new SendMessage("alice", key, _group.GroupId, "hello"), "client", _now), "client");
        Assert.Equal(new MessageSent(message), retried.Single());
    }

    [Fact]
    public void A_send_the_group_refuses_is_answered_with_the_refusal()
    {
        var alice = Alice();
        var key = Guid.NewGuid();
        alice.Handle(new SendMessage("alice", key, "grp:closed", "hello"), "client", _now);

        var refusal = new Rejected(ErrorCodes.Forbidden, "not a member of this group", key);
        var fx = alice.Handle(refusal, "group", _now);
        Assert.Equal(refusal, RepliesTo(fx, "client").Single());
        Assert.True(alice.Idle);
    }

    [Fact]
    public void A_transient_refusal_from_the_group_keeps_the_send_waiting()
    {
        var alice = Alice();
        var key = Guid.NewGuid();
        alice.Handle(new SendMessage("alice", key, _group.GroupId, "hello"), "client", _now);

        Assert.Empty(alice.Handle(new Rejected(ErrorCodes.Unavailable, "busy", key), "group", _now));
        Assert.False(alice.Idle);
    }

    [Fact]
    public void A_group_send_is_validated_like_a_1to1_send()
    {
        var alice = Alice();
        var empty = Assert.IsType<Rejected>(RepliesTo(alice.Handle(new SendMessage("alice", Guid.NewGuid(), _group.GroupId, ""), "c", _now), "c").Single());
        Assert.Equal(ErrorCodes.InvalidRequest, empty.Code);
        var large = Assert.IsType<Rejected>(RepliesTo(
            alice.Handle(new SendMessage("alice", Guid.NewGuid(), _group.GroupId, new string('x', Limits.MaxBodyBytes + 1)), "c", _now), "c").Single());
        Assert.Equal(ErrorCodes.TooLarge, large.Code);
        var badId = Assert.IsType<Rejected>(RepliesTo(alice.Handle(new SendMessage("alice", Guid.NewGuid(), "grp:bad id!", "x"), "c", _now), "c").Single());
        Assert.Equal(ErrorCodes.NotFound, badId.Code);
        Assert.True(alice.Idle);
    }

    [Fact]
    public void A_post_carries_the_senders_clock_so_the_stamp_sorts_after_what_the_sender_saw()
    {
        var alice = Alice();
        var fromBob = _group.Text("bob", "question?");
        var stored = Persists<UserEvents.MessageStored>(alice.Handle(new StoreGroupCopy("alice", fromBob), "group", _now));
        _driver.Persisted(alice, stored);

        var post = Posted(alice.Handle(new SendMessage("alice", Guid.NewGuid(), _group.GroupId, "answer"), "client", _now));
        Assert.Equal(ConversationOrder.ClockOf(fromBob.Order), post.SenderClock);
    }
}
