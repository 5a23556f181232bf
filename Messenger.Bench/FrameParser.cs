using System.Text.Json;

namespace Messenger.Bench;

public enum FrameType { Unknown, Sent, Message, Error, Other }

/// <summary>What the bench needs from a server frame.</summary>
public struct ParsedFrame
{
    public FrameType Type;
    public Guid ClientMessageId;   // top level for sent/error, message.clientMessageId for message
    public bool HasClientMessageId;
    public string? ErrorCode;
}

/// <summary>
/// Allocation-free parse of server frames with Utf8JsonReader. Field order is not assumed
/// (`type` may come after `message`), so the whole object is scanned once.
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

            Guid topId = default, nestedId = default;
            bool hasTop = false, hasNested = false;

            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject) break;
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
                    hasTop = reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out topId);
                }
                else if (reader.ValueTextEquals("code"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String) frame.ErrorCode = InternCode(ref reader);
                }
                else if (reader.ValueTextEquals("message"u8))
                {
                    reader.Read();
                    // In an `error` frame "message" is human text; in a `message` frame it is the Message object.
                    if (reader.TokenType == JsonTokenType.StartObject) hasNested = ReadNestedId(ref reader, out nestedId);
                    else reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (frame.Type == FrameType.Message) { frame.ClientMessageId = nestedId; frame.HasClientMessageId = hasNested; }
            else { frame.ClientMessageId = topId; frame.HasClientMessageId = hasTop; }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool ReadNestedId(ref Utf8JsonReader reader, out Guid id)
    {
        id = default;
        bool found = false;
        int depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1 && reader.ValueTextEquals("clientMessageId"u8))
            {
                reader.Read();
                found = reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out id);
            }
            else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
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
