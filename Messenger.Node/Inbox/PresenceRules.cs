using Messenger.Messages.Chat;

namespace Messenger.Node.Inbox;

/// <summary>
/// Who may see whom, decided in the caller's inbox from its conversations: a user is visible to the caller when they
/// share a conversation (one message exchanged), and the caller always sees themselves. v2 groups extend this.
/// Typing follows the same rule: only into a conversation the caller's inbox holds.
/// </summary>
public static class PresenceRules
{
    public static bool CanSee(InboxState state, string userId) =>
        userId == state.UserId || state.ConversationWith(userId)?.LastMessage is not null;

    /// <summary>The requested users the caller may see, each once, in the order asked.</summary>
    public static IReadOnlyList<string> Visible(InboxState state, IEnumerable<string> userIds) =>
        userIds.Distinct(StringComparer.Ordinal).Where(id => CanSee(state, id)).ToList();

    /// <summary>The peer a typing frame goes to, or null when the caller has no such conversation.</summary>
    public static string? TypingPeer(InboxState state, string conversationId)
    {
        var peer = ConversationId.PeerOf(conversationId, state.UserId);
        return peer is not null && state.ConversationWith(peer)?.LastMessage is not null ? peer : null;
    }
}
