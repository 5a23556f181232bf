using System.Text.Json;

namespace Messenger.Bench;

/// <summary>What the group mode reads from a server frame.</summary>
public struct GroupFrame
{
    public FrameType Type;
    /// <summary>sent/error: the send it answers; message: the message's own clientMessageId.</summary>
    public Guid ClientMessageId;
    public bool HasClientMessageId;
    public string? ErrorCode;
    /// <summary>error: the server's `retryAfter` in seconds (0 when absent).</summary>
    public double RetryAfterSec;
    /// <summary>message: its conversation is a group (`grp:`).</summary>
    public bool InGroup;
    /// <summary>message: a text message (no `kind`, null or "text"), not a membership event.</summary>
    public bool IsText;
}

/// <summary>
/// Parses server frames for the group mode with Utf8JsonReader: the frame's type, the clientMessageId a `sent` or
/// `error` answers (or a `message`'s own), an error's code and retryAfter, and whether a `message` is a group's text
/// message. Field order is not assumed.
/// </summary>
public static class GroupFrames
{
    public static bool TryParse(ReadOnlySpan<byte> utf8, out GroupFrame frame)
    {
        frame = default;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            Guid top = default, nested = default;
            bool hasTop = false, hasNested = false;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (reader.TokenType != JsonTokenType.PropertyName) return false;
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    frame.Type = reader.TokenType != JsonTokenType.String ? FrameType.Unknown
                        : reader.ValueTextEquals("sent"u8) ? FrameType.Sent
                        : reader.ValueTextEquals("message"u8) ? FrameType.Message
                        : reader.ValueTextEquals("error"u8) ? FrameType.Error
                        : FrameType.Other;
                }
                else if (reader.ValueTextEquals("clientMessageId"u8))
                {
                    reader.Read();
                    hasTop = reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out top);
                }
                else if (reader.ValueTextEquals("code"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String) frame.ErrorCode = reader.GetString();
                }
                else if (reader.ValueTextEquals("retryAfter"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number) frame.RetryAfterSec = reader.GetDouble();
                }
                else if (reader.ValueTextEquals("message"u8))
                {
                    reader.Read();
                    // In a `message` frame this is the Message object; in an `error` frame, human text.
                    if (reader.TokenType == JsonTokenType.StartObject) hasNested = ReadMessage(ref reader, ref frame, out nested);
                    else reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            (frame.ClientMessageId, frame.HasClientMessageId) = frame.Type == FrameType.Message ? (nested, hasNested) : (top, hasTop);
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    private static bool ReadMessage(ref Utf8JsonReader reader, ref GroupFrame frame, out Guid id)
    {
        id = default;
        bool found = false;
        frame.IsText = true; // a Message without `kind` is a text message
        int depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != depth + 1) continue;
            if (reader.ValueTextEquals("clientMessageId"u8))
            {
                reader.Read();
                found = reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out id);
            }
            else if (reader.ValueTextEquals("conversationId"u8))
            {
                reader.Read();
                frame.InGroup = reader.TokenType == JsonTokenType.String && reader.ValueSpan.StartsWith("grp:"u8);
            }
            else if (reader.ValueTextEquals("kind"u8))
            {
                reader.Read();
                frame.IsText = reader.TokenType == JsonTokenType.Null || (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("text"u8));
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return found;
    }
}
