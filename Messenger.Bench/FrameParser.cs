using System.Text.Json;

namespace Messenger.Bench;

public enum FrameType { Unknown, Sent, Message, Error, Other }

/// <summary>What the bench's devices read from a server frame.</summary>
public struct ParsedFrame
{
    public FrameType Type;
    /// <summary>sent/error: the send it answers (top level); message: the message's own clientMessageId.</summary>
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
/// Allocation-free parse of server frames with Utf8JsonReader, for the closed/open loops and the group mode alike.
/// Field order is not assumed (`type` may come after `message`), so the whole object is scanned once.
/// </summary>
public static class FrameParser
{
    public static bool TryParse(ReadOnlySpan<byte> utf8, out ParsedFrame frame)
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
                    if (reader.TokenType == JsonTokenType.String) frame.ErrorCode = InternCode(ref reader);
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

    private static bool ReadMessage(ref Utf8JsonReader reader, ref ParsedFrame frame, out Guid id)
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

    // Known codes come back as cached strings so a flood of rate_limited errors does not allocate.
    private static string InternCode(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("rate_limited"u8)) return "rate_limited";
        if (reader.ValueTextEquals("unavailable"u8)) return "unavailable";
        if (reader.ValueTextEquals("invalid_request"u8)) return "invalid_request";
        if (reader.ValueTextEquals("too_large"u8)) return "too_large";
        if (reader.ValueTextEquals("not_found"u8)) return "not_found";
        if (reader.ValueTextEquals("unauthorized"u8)) return "unauthorized";
        if (reader.ValueTextEquals("forbidden"u8)) return "forbidden";
        return reader.GetString() ?? "unknown";
    }
}
