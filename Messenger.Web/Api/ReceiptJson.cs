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

    /// <summary>The Conversation's <c>"receipts"</c>: one entry per other participant (1:1: the peer).</summary>
    public static void WriteReceipts(Utf8JsonWriter w, UserReplies.ConversationSummary c)
    {
        w.WriteStartArray("receipts");
        w.WriteStartObject();
        w.WriteString("userId", c.Peer);
        WriteMarker(w, "delivered", c.PeerDelivered);
        WriteMarker(w, "read", c.PeerRead);
        w.WriteEndObject();
        w.WriteEndArray();
    }
}
