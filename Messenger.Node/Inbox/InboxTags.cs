using Akka.Persistence.Journal;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;

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

    /// <summary>
    /// What the inbox hands the journal: a stored message wrapped with its tags (today's SQL journal indexes them),
    /// anything else as it is. The one place that knows about tags; journals that index events by their own fields
    /// unwrap it.
    /// </summary>
    public static object Wrap(string me, object evt) => evt is UserEvents.MessageStored { ConversationNumber: { } number } stored
        ? new Tagged(stored, new[] { History(number, stored.Message.Order), KeyTag(me, number, stored.Message) })
        : evt;

    public static object Unwrap(object evt) => evt is Tagged tagged ? tagged.Payload : evt;
}
