using Messenger.Messages.Telemetry;
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

/// <summary>A message of the inbox; <paramref name="Live"/> when pushed by the inbox rather than read by a sync.</summary>
public sealed record MessageFrame(InboxMessage Message, bool Live = false) : ServerFrame
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

/// <summary>An error; a load refusal (<c>unavailable</c>, <c>rate_limited</c>) adds <c>retryAfter</c> in seconds, as HTTP's header.</summary>
public sealed record ErrorFrame(string Code, string Message, string? ClientMessageId = null, TimeSpan? RetryAfter = null) : ServerFrame
{
    public override void Write(Utf8JsonWriter w)
    {
        MessengerMetrics.Rejected(Code);
        w.WriteStartObject();
        w.WriteString("type", "error");
        w.WriteString("code", Code);
        w.WriteString("message", Message);
        if (ClientMessageId is not null) w.WriteString("clientMessageId", ClientMessageId);
        if (RetryAfter is { } wait) w.WriteNumber("retryAfter", Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)));
        w.WriteEndObject();
    }
}
