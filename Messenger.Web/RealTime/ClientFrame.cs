using System.Text.Json;

namespace Messenger.Web.RealTime;

/// <summary>
/// A parsed client frame: one of send, sync, read, received, ping, typing, watch; or the reason it was not understood. A field with the wrong
/// JSON type does not stop the parse, so an error answering a send still names the clientMessageId the frame carried.
/// </summary>
public readonly record struct ClientFrame(
    string Type, string? ClientMessageId, string? To, string? Body, long? After, string? ConversationId, string? UpTo,
    string? Error, long? UpToSeq = null, string[]? UserIds = null, IReadOnlyList<string?>? Attachments = null)
{
    public const string InvalidType = "invalid";

    /// <summary>Parses one text frame with a forward-only reader: no DOM, unknown fields skipped.</summary>
    public static ClientFrame Parse(ReadOnlySpan<byte> utf8)
    {
        string? type = null, cmid = null, to = null, body = null, conversationId = null, upTo = null, wrong = null;
        long? after = null, upToSeq = null;
        var upToNumber = false;
        string[]? userIds = null;
        List<string?>? attachments = null;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return Invalid("a frame must be a JSON object");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (reader.TokenType != JsonTokenType.PropertyName) return Invalid("malformed frame");
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "type": type = StringValue(ref reader, name, ref wrong); break;
                    case "clientMessageId": cmid = StringValue(ref reader, name, ref wrong); break;
                    case "to": to = StringValue(ref reader, name, ref wrong); break;
                    case "body": body = StringValue(ref reader, name, ref wrong); break;
                    case "conversationId": conversationId = StringValue(ref reader, name, ref wrong); break;
                    case "upTo" when reader.TokenType == JsonTokenType.Number:
                        // An order (read) is a string; a seq (received) is an integer, checked once the type is known.
                        upToNumber = true;
                        if (reader.TryGetInt64(out var seq)) upToSeq = seq;
                        break;
                    case "upTo": upTo = StringValue(ref reader, name, ref wrong); break;
                    case "attachments": attachments = AttachmentIds(ref reader, ref wrong); break;
                    case "after":
                        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var a)) after = a;
                        else
                        {
                            wrong ??= "after must be an integer";
                            reader.Skip();
                        }
                        break;
                    case "userIds": userIds = WatchFrameParts.UserIds(ref reader, ref wrong); break;
                    default: reader.Skip(); break;
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                return Invalid("a frame must be one JSON object", type == "send" ? cmid : null);
        }
        catch (JsonException)
        {
            return Invalid("frame is not valid JSON", type == "send" ? cmid : null);
        }
        catch (InvalidOperationException)
        {
            // A string that is not valid UTF-8.
            return Invalid("frame is not valid UTF-8 JSON", type == "send" ? cmid : null);
        }
        if (type is null) return Invalid(wrong ?? "type is required");
        if (type is not ("send" or "sync" or "read" or "received" or "ping" or "typing" or "watch")) return Invalid($"unknown frame type '{type}'");
        if (type == "read" && upToNumber) wrong ??= "upTo must be a string";
        if (type == "received" && upToSeq is not >= 0) wrong ??= "upTo must be an integer ≥ 0";
        if (wrong is not null) return Invalid(wrong, type == "send" ? cmid : null);
        return new ClientFrame(type, cmid, to, body, after, conversationId, upTo, null, upToSeq, userIds, attachments);
    }

    /// <summary>The frame could not be parsed; the send it was (if any) is named by <paramref name="clientMessageId"/>.</summary>
    public static ClientFrame Invalid(string why, string? clientMessageId = null) =>
        new(InvalidType, clientMessageId, null, null, null, null, null, why);

    /// <summary>A send's attachment ids: an array of strings (null leaves none).</summary>
    private static List<string?>? AttachmentIds(ref Utf8JsonReader reader, ref string? wrong)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            var ids = new List<string?>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.String) ids.Add(reader.GetString());
                else
                {
                    wrong ??= "attachments must be an array of attachment ids";
                    reader.Skip();
                }
            }
            return ids;
        }
        if (reader.TokenType != JsonTokenType.Null) wrong ??= "attachments must be an array of attachment ids";
        reader.Skip();
        return null;
    }

    private static string? StringValue(ref Utf8JsonReader reader, string name, ref string? wrong)
    {
        if (reader.TokenType == JsonTokenType.String) return reader.GetString();
        if (reader.TokenType != JsonTokenType.Null) wrong ??= $"{name} must be a string";
        reader.Skip();
        return null;
    }
}
