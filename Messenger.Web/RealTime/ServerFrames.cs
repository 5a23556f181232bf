using System.Text.Json;
using Messenger.Messages.Chat;
using Messenger.Web.Api;

namespace Messenger.Web.RealTime;

/// <summary>Frames the server sends a device. Each knows its inbox seq (if any) so the connection never sends one twice.</summary>
public abstract record ServerFrame
{
    public virtual long? Seq => null;
    public abstract void Write(Utf8JsonWriter w);
}

public sealed record MessageFrame(InboxMessage Message) : ServerFrame
{
    public override long? Seq => Message.Seq;

    public override void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", "message");
        w.WritePropertyName("message");
        ApiJson.WriteMessage(w, Message);
        w.WriteEndObject();
    }
}

public sealed record SentFrame(ChatMessage Message) : ServerFrame
{
    public override void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", "sent");
        ApiJson.WriteSentFields(w, Message);
        w.WriteEndObject();
    }
}

public sealed record SyncedFrame(long SyncedSeq) : ServerFrame
{
    public override void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", "synced");
        w.WriteNumber("seq", SyncedSeq);
        w.WriteEndObject();
    }
}

public sealed record ReadFrame(string ConversationId, string UpTo) : ServerFrame
{
    public override void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", "read");
        w.WriteString("conversationId", ConversationId);
        w.WriteString("upTo", UpTo);
        w.WriteEndObject();
    }
}

public sealed record PongFrame : ServerFrame
{
    public static readonly PongFrame Instance = new();

    public override void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", "pong");
        w.WriteEndObject();
    }
}

public sealed record ErrorFrame(string Code, string Message, string? ClientMessageId = null) : ServerFrame
{
    public override void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", "error");
        w.WriteString("code", Code);
        w.WriteString("message", Message);
        if (ClientMessageId is not null) w.WriteString("clientMessageId", ClientMessageId);
        w.WriteEndObject();
    }
}
