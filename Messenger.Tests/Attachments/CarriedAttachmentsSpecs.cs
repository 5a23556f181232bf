using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;

namespace Messenger.Tests.Attachments;

/// <summary>The inbox state folds the attachment ids its messages carry (the access check), and keeps them across a snapshot.</summary>
public sealed class CarriedAttachmentsSpecs
{
    private static readonly Attachment Photo = new(Guid.NewGuid(), "p.png", "image/png", 10, new string('a', 64));
    private static readonly Attachment Doc = new(Guid.NewGuid(), "d.pdf", "application/pdf", 20, new string('b', 64));

    private static ChatMessage Message(string from, string to, int n, params Attachment[] files)
    {
        var id = Guid.NewGuid();
        return new ChatMessage(id, Guid.NewGuid(), ConversationId.Direct(from, to), from, to, "",
            new DateTime(2026, 1, 1, 0, 0, n, DateTimeKind.Utc), ConversationOrder.Format(n, id)) { Attachments = AttachmentList.Of(files) };
    }

    [Fact]
    public void Stored_messages_give_access_a_retracted_copy_takes_it_back_and_a_snapshot_keeps_it()
    {
        var state = new InboxState("bob", 10);
        state.Apply(new UserEvents.InboxOpened("bob", DateTime.UnixEpoch), 1);
        var first = Message("alice", "bob", 1, Photo);
        var second = Message("alice", "bob", 2, Photo, Doc);
        state.Apply(new UserEvents.MessageStored(first, 1, true), 2);
        state.Apply(new UserEvents.MessageStored(second, 2, true), 3);
        Assert.True(state.Attachments.Holds(Photo.AttachmentId) && state.Attachments.Holds(Doc.AttachmentId));

        state.Apply(new UserEvents.MessageRetracted(second, 3), 4);
        Assert.True(state.Attachments.Holds(Photo.AttachmentId)); // still carried by the first message
        Assert.False(state.Attachments.Holds(Doc.AttachmentId));

        var restored = new InboxState("bob", 10);
        restored.Restore(state.ToSnapshot());
        Assert.True(restored.Attachments.Holds(Photo.AttachmentId));
        Assert.False(restored.Attachments.Holds(Doc.AttachmentId));
        Assert.False(restored.Attachments.Holds(Guid.NewGuid()));
    }
}
