using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;
using static Messenger.Messages.Users.UserCommands;
using static Messenger.Messages.Users.UserReplies;

namespace Messenger.Tests.Attachments;

/// <summary>
/// The inbox core with attachments, driven without an actor system: both copies carry the files (and give access),
/// a key names one message with its files, and the core's own checks (empty body, count) hold whatever the edge did.
/// </summary>
public sealed class InboxAttachmentSpecs
{
    private static readonly SendSettings Settings = new();
    private readonly DateTime _now = new(2026, 5, 1, 12, 0, 0, DateTimeKind.Utc);
    private long _journal;

    private static Attachment File(int n) => new(Guid.NewGuid(), $"f{n}.png", "image/png", 100 + n, new string('c', 64));

    private InboxCore Opened(string user)
    {
        var core = new InboxCore(user, Settings);
        core.Recovered(_now);
        var opened = core.Handle(new OpenInbox(user), "edge", _now).OfType<InboxEffect.Persist>().Single().Event;
        core.Persisted(opened, ++_journal, _now);
        return core;
    }

    private static T Persists<T>(IEnumerable<InboxEffect> fx) =>
        fx.OfType<InboxEffect.Persist>().Select(p => p.Event).OfType<T>().Single();

    private static IEnumerable<object> RepliesTo(IEnumerable<InboxEffect> fx, string to) =>
        fx.OfType<InboxEffect.Reply>().Where(r => Equals(r.To, to)).Select(r => r.Message);

    private ChatMessage Deliver(InboxCore a, InboxCore b, SendMessage send)
    {
        var ask = a.Handle(send, "client", _now).OfType<InboxEffect.ToInbox>().Select(t => t.Message).OfType<StoreRecipientCopy>().Single();
        var inB = Persists<UserEvents.MessageStored>(b.Handle(ask, "inbox-a", _now));
        var answer = RepliesTo(b.Persisted(inB, ++_journal, _now), "inbox-a").OfType<RecipientCopyStored>().Single();
        var inA = Persists<UserEvents.MessageStored>(a.Handle(answer, "inbox-b", _now));
        var done = a.Persisted(inA, ++_journal, _now);
        Assert.Equal(new MessageSent(inA.Message), RepliesTo(done, "client").Single());
        return inA.Message;
    }

    [Fact]
    public void Both_copies_carry_the_files_and_a_key_names_one_message_with_its_files()
    {
        var alice = Opened("alice");
        var bob = Opened("bob");
        var files = AttachmentList.Of([File(1), File(2)]);
        var key = Guid.NewGuid();
        var send = new SendMessage("alice", key, "bob", "") { Attachments = files };

        var message = Deliver(alice, bob, send);

        Assert.Equal(files, message.Attachments);
        Assert.Equal(files, bob.State.FindRecent("alice", key)!.Message.Attachments);
        Assert.True(bob.State.Attachments.Holds(files[0].AttachmentId) && bob.State.Attachments.Holds(files[1].AttachmentId));

        Assert.Equal(new MessageSent(message), RepliesTo(alice.Handle(send with { }, "again", _now), "again").Single());
        foreach (var other in new[] { AttachmentList.Of([files[1], files[0]]), AttachmentList.Of([files[0]]), AttachmentList.Empty })
        {
            var reply = RepliesTo(alice.Handle(send with { Attachments = other }, "other", _now), "other").Single();
            Assert.Equal(ErrorCodes.InvalidRequest, Assert.IsType<Rejected>(reply).Code);
        }
    }

    [Fact]
    public void An_empty_body_needs_a_file_and_a_message_carries_at_most_ten()
    {
        var alice = Opened("alice");
        var empty = RepliesTo(alice.Handle(new SendMessage("alice", Guid.NewGuid(), "bob", ""), "c", _now), "c").Single();
        Assert.Equal(ErrorCodes.InvalidRequest, Assert.IsType<Rejected>(empty).Code);

        var eleven = AttachmentList.Of(Enumerable.Range(0, 11).Select(File));
        var tooMany = RepliesTo(alice.Handle(new SendMessage("alice", Guid.NewGuid(), "bob", "x") { Attachments = eleven }, "c", _now), "c").Single();
        Assert.Equal(ErrorCodes.InvalidRequest, Assert.IsType<Rejected>(tooMany).Code);
    }
}
