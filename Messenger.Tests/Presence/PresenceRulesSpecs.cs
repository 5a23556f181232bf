using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;

namespace Messenger.Tests.Presence;

/// <summary>Visibility and typing are decided in the caller's inbox, from the conversations it holds.</summary>
public sealed class PresenceRulesSpecs
{
    private static InboxState AliceTalkingTo(params string[] peers)
    {
        var state = new InboxState("alice", 50);
        var seq = 0;
        foreach (var peer in peers)
        {
            seq++;
            var id = Guid.NewGuid();
            var message = new ChatMessage(id, Guid.NewGuid(), ConversationId.Direct("alice", peer), peer, "alice",
                "hi", DateTime.UtcNow, ConversationOrder.Format(seq << 16, id));
            state.Apply(new UserEvents.MessageStored(message, seq, false, seq), seq);
        }
        return state;
    }

    [Fact]
    public void Only_users_sharing_a_conversation_and_the_caller_are_visible()
    {
        var state = AliceTalkingTo("bob", "carol");
        Assert.True(PresenceRules.CanSee(state, "bob"));
        Assert.True(PresenceRules.CanSee(state, "alice"));
        Assert.False(PresenceRules.CanSee(state, "dave"));
        Assert.Equal(["bob", "alice", "carol"], PresenceRules.Visible(state, ["bob", "dave", "alice", "bob", "carol"]));
    }

    [Fact]
    public void Typing_goes_to_the_peer_of_a_conversation_the_caller_holds_only()
    {
        var state = AliceTalkingTo("bob");
        Assert.Equal("bob", PresenceRules.TypingPeer(state, "dm:alice:bob"));
        Assert.Null(PresenceRules.TypingPeer(state, "dm:alice:dave"));
        Assert.Null(PresenceRules.TypingPeer(state, "dm:bob:carol"));
        Assert.Null(PresenceRules.TypingPeer(state, "nonsense"));
    }

    [Fact]
    public void Presence_survives_a_snapshot()
    {
        var state = AliceTalkingTo("bob");
        var seen = new PresenceEvents.PresenceRecorded(false, new DateTime(2026, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        state.Apply(seen, 2);

        var restored = new InboxState("alice", 50);
        restored.Restore(state.ToSnapshot());
        Assert.Equal(seen, restored.Presence);
    }
}
