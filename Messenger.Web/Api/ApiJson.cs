using System.Globalization;
using System.Text.Json;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using Messenger.Web.Attachments;

namespace Messenger.Web.Api;

/// <summary>
/// Writes the contract's objects (API.md "Objects") as camelCase JSON, identically for HTTP and WebSocket, straight
/// into UTF-8: property names pre-encoded, times formatted into a stack buffer, no intermediate strings.
/// </summary>
public static class ApiJson
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private static readonly JsonEncodedText MessageIdName = JsonEncodedText.Encode("messageId");
    private static readonly JsonEncodedText ClientMessageIdName = JsonEncodedText.Encode("clientMessageId");
    private static readonly JsonEncodedText ConversationIdName = JsonEncodedText.Encode("conversationId");
    private static readonly JsonEncodedText FromName = JsonEncodedText.Encode("from");
    private static readonly JsonEncodedText ToName = JsonEncodedText.Encode("to");
    private static readonly JsonEncodedText BodyName = JsonEncodedText.Encode("body");
    private static readonly JsonEncodedText SentAtName = JsonEncodedText.Encode("sentAt");
    private static readonly JsonEncodedText OrderName = JsonEncodedText.Encode("order");
    private static readonly JsonEncodedText SeqName = JsonEncodedText.Encode("seq");
    private static readonly JsonEncodedText RetractedName = JsonEncodedText.Encode("retracted");
    private static readonly JsonEncodedText KindName = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText SubjectName = JsonEncodedText.Encode("subject");

    public static string Time(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static void WriteTime(Utf8JsonWriter w, JsonEncodedText name, DateTime utc)
    {
        Span<byte> text = stackalloc byte[32];
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).TryFormat(text, out var written, TimeFormat, CultureInfo.InvariantCulture);
        w.WriteString(name, text[..written]);
    }

    public static void WriteMessage(Utf8JsonWriter w, InboxMessage inboxMessage)
    {
        var m = inboxMessage.Message;
        w.WriteStartObject();
        w.WriteString(MessageIdName, m.MessageId);
        w.WriteString(ClientMessageIdName, m.ClientMessageId);
        w.WriteString(ConversationIdName, m.ConversationId);
        w.WriteString(FromName, m.From);
        w.WriteString(ToName, m.To);
        w.WriteString(BodyName, m.Body);
        WriteTime(w, SentAtName, m.SentAt);
        w.WriteString(OrderName, m.Order);
        w.WriteNumber(SeqName, inboxMessage.Seq);
        // Added to the contract's Message: a recipient copy withdrawn because its key named another message.
        if (inboxMessage.Retracted) w.WriteBoolean(RetractedName, true);
        AttachmentJson.WriteField(w, m.Attachments);
        // Groups (v2): a text message has no kind, so a 1:1 message reads exactly as before.
        if (!MessageKinds.IsText(m.Kind)) w.WriteString(KindName, m.Kind);
        if (m.Subject is not null) w.WriteString(SubjectName, m.Subject);
        w.WriteEndObject();
    }

    /// <summary>The Sent object's fields (without braces, so a frame can add its "type").</summary>
    public static void WriteSentFields(Utf8JsonWriter w, ChatMessage m)
    {
        w.WriteString(ClientMessageIdName, m.ClientMessageId);
        w.WriteString(MessageIdName, m.MessageId);
        w.WriteString(ConversationIdName, m.ConversationId);
        w.WriteString(OrderName, m.Order);
        WriteTime(w, SentAtName, m.SentAt);
    }

    public static void WriteConversation(Utf8JsonWriter w, UserReplies.ConversationSummary c)
    {
        w.WriteStartObject();
        w.WriteString("conversationId", c.ConversationId);
        var group = ConversationId.IsGroup(c.ConversationId);
        if (group) w.WriteNull("peer");
        else w.WriteString("peer", c.Peer);
        w.WritePropertyName("lastMessage");
        WriteMessage(w, c.LastMessage);
        w.WriteNumber("unreadCount", c.UnreadCount);
        WriteTime(w, JsonEncodedText.Encode("updatedAt"), c.LastMessage.Message.SentAt);
        ReceiptJson.WriteReceipts(w, c);
        if (group) GroupJson.WriteSummary(w, c.Group);
        w.WriteEndObject();
    }
}
