using System.Text.Json;
using Messenger.Messages.Users;

namespace Messenger.Web.Api;

/// <summary>Receipt markers as JSON: an order, or null when the marker was never set.</summary>
public static class ReceiptJson
{
    public static void WriteMarker(Utf8JsonWriter w, string name, string? order)
    {
        if (string.IsNullOrEmpty(order)) w.WriteNull(name);
        else w.WriteString(name, order);
    }

    /// <summary>The Conversation's <c>"receipts"</c>: one entry per other participant (1:1: the peer; a group: the other members).</summary>
    public static void WriteReceipts(Utf8JsonWriter w, UserReplies.ConversationSummary c)
    {
        w.WriteStartArray("receipts");
        if (Messenger.Messages.Chat.ConversationId.IsGroup(c.ConversationId))
        {
            foreach (var member in c.MemberReceipts ?? []) WriteReceipt(w, member.UserId, member.Delivered, member.Read);
        }
        else WriteReceipt(w, c.Peer, c.PeerDelivered, c.PeerRead);
        w.WriteEndArray();
    }

    private static void WriteReceipt(Utf8JsonWriter w, string userId, string? delivered, string? read)
    {
        w.WriteStartObject();
        w.WriteString("userId", userId);
        WriteMarker(w, "delivered", delivered);
        WriteMarker(w, "read", read);
        w.WriteEndObject();
    }
}
