using Messenger.Messages.Chat;

namespace Messenger.Node.Inbox;

/// <summary>
/// The key an inbox holds a conversation under (<see cref="ChatMessage.PeerOf"/>): the other user of a 1:1
/// conversation, the group's conversation id for a group.
/// </summary>
public static class ConversationKey
{
    /// <summary>Null when <paramref name="conversationId"/> names no conversation <paramref name="me"/> can be in.</summary>
    public static string? Of(string conversationId, string me) =>
        ConversationId.IsGroup(conversationId) ? conversationId : ConversationId.PeerOf(conversationId, me);
}
