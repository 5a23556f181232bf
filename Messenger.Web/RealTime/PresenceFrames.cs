using System.Text.Json;
using Messenger.Messages.Users;
using Messenger.Web.Api;

namespace Messenger.Web.RealTime;

/// <summary><c>{"type":"presence","userId","online","lastSeen"}</c>: a watched user's presence (lastSeen null while online).</summary>
public sealed record PresenceFrame(PresenceReplies.UserPresence Presence) : ServerFrame
{
    public override void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", "presence");
        WatchJson.WriteFields(w, Presence);
        w.WriteEndObject();
    }
}

/// <summary><c>{"type":"typing","conversationId","userId"}</c>: the peer is typing (a client shows it for 5 s).</summary>
public sealed record TypingFrame(string ConversationId, string UserId) : ServerFrame
{
    public override void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", "typing");
        w.WriteString("conversationId", ConversationId);
        w.WriteString("userId", UserId);
        w.WriteEndObject();
    }
}

/// <summary>The presence object's fields, alike in the HTTP answer and the frame.</summary>
public static class WatchJson
{
    public static void WriteFields(Utf8JsonWriter w, PresenceReplies.UserPresence p)
    {
        w.WriteString("userId", p.UserId);
        w.WriteBoolean("online", p.Online);
        if (p.Online || p.LastSeen is not { } seen) w.WriteNull("lastSeen");
        else ApiJson.WriteTime(w, JsonEncodedText.Encode("lastSeen"), seen);
    }
}
