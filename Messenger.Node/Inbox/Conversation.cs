using Messenger.Messages.Chat;

namespace Messenger.Node.Inbox;

/// <summary>One conversation as seen from one user's inbox: the summary the conversation list shows.</summary>
public sealed class Conversation
{
    public Conversation(string peer, string conversationId, int index)
    {
        Peer = peer;
        ConversationId = conversationId;
        Index = index;
        if (Messenger.Messages.Chat.ConversationId.IsGroup(conversationId)) Group = new GroupConversation();
    }

    /// <summary>Set for a group conversation (keyed by the group's id), null for 1:1.</summary>
    public GroupConversation? Group { get; }

    public string Peer { get; }
    public string ConversationId { get; }

    /// <summary>Small per-inbox number naming this conversation in storage tags (tags are short).</summary>
    public int Index { get; }

    public InboxMessage? LastMessage { get; set; }

    /// <summary>Order of the newest message this user has read; empty when nothing was read.</summary>
    public string ReadMarker { get; set; } = string.Empty;

    public int UnreadCount { get; set; }

    /// <summary>
    /// Highest order among this conversation's messages that left the recent window (empty: none did). Messages
    /// arrive out of conversation order, so the window answers a history page only if the page starts above this.
    /// </summary>
    public string EvictedUpTo { get; set; } = string.Empty;
    public long MessageCount { get; set; }
}
