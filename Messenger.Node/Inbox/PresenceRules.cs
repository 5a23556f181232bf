using Messenger.Messages.Chat;

namespace Messenger.Node.Inbox;

/// <summary>
/// Who may see whom, decided in the caller's inbox from its conversations: a user is visible to the caller when they
/// share a conversation (one message exchanged, or a group both are members of as the caller's copy knows it), and
/// the caller always sees themselves. Typing follows the same rule: only into a conversation the caller's inbox holds.
/// </summary>
public static class PresenceRules
{
    public static bool CanSee(InboxState state, string userId) => CanSee(state, userId, null);

    private static bool CanSee(InboxState state, string userId, HashSet<string>? coMembers) =>
        userId == state.UserId || state.ConversationWith(userId)?.LastMessage is not null
                               || (coMembers ?? CoMembers(state)).Contains(userId);

    /// <summary>Everyone in a group the caller is a member of, as the caller's copies know the rosters.</summary>
    private static HashSet<string> CoMembers(InboxState state)
    {
        var members = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in state.Conversations)
            if (c.Group is { Roster: { } roster } group && group.IsMember(state.UserId))
                foreach (var m in roster.Members) members.Add(m.UserId);
        return members;
    }

    /// <summary>The requested users the caller may see, each once, in the order asked.</summary>
    public static IReadOnlyList<string> Visible(InboxState state, IEnumerable<string> userIds)
    {
        var coMembers = CoMembers(state);
        return userIds.Distinct(StringComparer.Ordinal).Where(id => CanSee(state, id, coMembers)).ToList();
    }

    /// <summary>The peer a typing frame goes to, or null when the caller has no such conversation.</summary>
    public static string? TypingPeer(InboxState state, string conversationId)
    {
        var peer = ConversationId.PeerOf(conversationId, state.UserId);
        return peer is not null && state.ConversationWith(peer)?.LastMessage is not null ? peer : null;
    }

    /// <summary>Everyone a typing frame goes to: the peer, or a group's other members while the caller is one;
    /// null when the caller is in no such conversation.</summary>
    public static IReadOnlyList<string>? TypingTargets(InboxState state, string conversationId)
    {
        if (!ConversationId.IsGroup(conversationId))
            return TypingPeer(state, conversationId) is { } peer ? [peer] : null;
        return state.ConversationWith(conversationId)?.Group is { } group && group.IsMember(state.UserId)
            ? group.Others(state.UserId).ToList()
            : null;
    }
}
