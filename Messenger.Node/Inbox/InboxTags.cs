using Messenger.Messages.Chat;

namespace Messenger.Node.Inbox;

/// <summary>
/// Tags on each stored message so storage can answer in O(page) what the in-memory window cannot:
/// <c>h{conversation}:{order}</c> pages history by order (an index range scan), <c>o:{clientMessageId}</c> and
/// <c>i{conversation}:{clientMessageId}</c> find an old idempotency key. The journal limits tags to 64 characters.
/// </summary>
public static class InboxTags
{
    public static string HistoryPrefix(int conversationIndex) => $"h{conversationIndex}:";

    /// <summary>Just past every history tag of the conversation (';' follows ':').</summary>
    public static string HistoryEnd(int conversationIndex) => $"h{conversationIndex};";

    public static string History(int conversationIndex, string order) => HistoryPrefix(conversationIndex) + order;

    public static string Outgoing(Guid clientMessageId) => $"o:{clientMessageId:N}";

    public static string Incoming(int conversationIndex, Guid clientMessageId) => $"i{conversationIndex}:{clientMessageId:N}";

    public static string KeyTag(string me, int conversationIndex, ChatMessage message) =>
        message.From == me ? Outgoing(message.ClientMessageId) : Incoming(conversationIndex, message.ClientMessageId);
}
