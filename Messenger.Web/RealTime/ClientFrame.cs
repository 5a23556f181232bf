using System.Text.Json;

namespace Messenger.Web.RealTime;

/// <summary>A parsed client frame: one of send, sync, read, ping; or the reason it was not understood.</summary>
public readonly record struct ClientFrame(
    string Type, string? ClientMessageId, string? To, string? Body, long? After, string? ConversationId, string? UpTo,
    string? Error)
{
    /// <summary>Parses one text frame with a forward-only reader: no DOM, unknown fields skipped.</summary>
    public static ClientFrame Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return Invalid("a frame must be a JSON object");
            string? type = null, cmid = null, to = null, body = null, conversationId = null, upTo = null;
            long? after = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (reader.TokenType != JsonTokenType.PropertyName) return Invalid("malformed frame");
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "type": type = StringValue(ref reader); break;
                    case "clientMessageId": cmid = StringValue(ref reader); break;
                    case "to": to = StringValue(ref reader); break;
                    case "body": body = StringValue(ref reader); break;
                    case "conversationId": conversationId = StringValue(ref reader); break;
                    case "upTo": upTo = StringValue(ref reader); break;
                    case "after":
                        after = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var a) ? a : -1;
                        break;
                    default: reader.Skip(); break;
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) return Invalid("a frame must be one JSON object");
            return type switch
            {
                null => Invalid("type is required"),
                "send" or "sync" or "read" or "ping" => new ClientFrame(type, cmid, to, body, after, conversationId, upTo, null),
                _ => Invalid($"unknown frame type '{type}'"),
            };
        }
        catch (JsonException)
        {
            return Invalid("frame is not valid JSON");
        }
        catch (InvalidOperationException)
        {
            return Invalid("frame field has the wrong type");
        }
    }

    private static string? StringValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String) return reader.GetString();
        if (reader.TokenType == JsonTokenType.Null) return null;
        throw new InvalidOperationException();
    }

    private static ClientFrame Invalid(string why) => new("invalid", null, null, null, null, null, null, why);
}
