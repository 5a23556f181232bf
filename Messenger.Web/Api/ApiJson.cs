using System.Globalization;
using System.Text.Json;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;

namespace Messenger.Web.Api;

/// <summary>Writes the contract's objects (API.md "Objects") as camelCase JSON, identically for HTTP and WebSocket.</summary>
public static class ApiJson
{
    public static string Time(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static void WriteMessage(Utf8JsonWriter w, InboxMessage inboxMessage)
    {
        var m = inboxMessage.Message;
        w.WriteStartObject();
        w.WriteString("messageId", m.MessageId);
        w.WriteString("clientMessageId", m.ClientMessageId);
        w.WriteString("conversationId", m.ConversationId);
        w.WriteString("from", m.From);
        w.WriteString("to", m.To);
        w.WriteString("body", m.Body);
        w.WriteString("sentAt", Time(m.SentAt));
        w.WriteString("order", m.Order);
        w.WriteNumber("seq", inboxMessage.Seq);
        w.WriteEndObject();
    }

    /// <summary>The Sent object's fields (without braces, so a frame can add its "type").</summary>
    public static void WriteSentFields(Utf8JsonWriter w, ChatMessage m)
    {
        w.WriteString("clientMessageId", m.ClientMessageId);
        w.WriteString("messageId", m.MessageId);
        w.WriteString("conversationId", m.ConversationId);
        w.WriteString("order", m.Order);
        w.WriteString("sentAt", Time(m.SentAt));
    }

    public static void WriteConversation(Utf8JsonWriter w, UserReplies.ConversationSummary c)
    {
        w.WriteStartObject();
        w.WriteString("conversationId", c.ConversationId);
        w.WriteString("peer", c.Peer);
        w.WritePropertyName("lastMessage");
        WriteMessage(w, c.LastMessage);
        w.WriteNumber("unreadCount", c.UnreadCount);
        w.WriteString("updatedAt", Time(c.LastMessage.Message.SentAt));
        w.WriteEndObject();
    }
}
