using System.Text.Json;

namespace Messenger.Bench;

public enum ReceiptFrameType { Unknown, Sent, Message, Receipt, Error, Other }

/// <summary>What the receipts mode reads from a server frame.</summary>
public struct ReceiptFrame
{
    public ReceiptFrameType Type;
    /// <summary>sent/error: the message it answers.</summary>
    public Guid ClientMessageId;
    public bool HasClientMessageId;
    /// <summary>message: its seq in the reader's inbox (0 when absent).</summary>
    public long Seq;
    /// <summary>message: whether the reading user sent it (only messages from others move `delivered`).</summary>
    public bool FromReader;
    public string? ErrorCode;
}

/// <summary>
/// Parses server frames for the receipts mode with Utf8JsonReader: the frame's type, the clientMessageId a
/// `sent`/`error` answers, and a `message`'s seq and sender. Field order is not assumed.
/// </summary>
public static class ReceiptFrames
{
    public static bool TryParse(ReadOnlySpan<byte> utf8, ReadOnlySpan<byte> readerName, out ReceiptFrame frame)
    {
        frame = default;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (reader.TokenType != JsonTokenType.PropertyName) return false;
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    frame.Type = TypeOf(ref reader);
                }
                else if (reader.ValueTextEquals("clientMessageId"u8))
                {
                    reader.Read();
                    frame.HasClientMessageId = reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out frame.ClientMessageId);
                }
                else if (reader.ValueTextEquals("code"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String) frame.ErrorCode = reader.GetString();
                }
                else if (reader.ValueTextEquals("message"u8))
                {
                    reader.Read();
                    // In a `message` frame this is the Message object; in an `error` frame, human text.
                    if (reader.TokenType == JsonTokenType.StartObject) ReadMessage(ref reader, readerName, ref frame);
                    else reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static ReceiptFrameType TypeOf(ref Utf8JsonReader reader) =>
        reader.TokenType != JsonTokenType.String ? ReceiptFrameType.Unknown
        : reader.ValueTextEquals("sent"u8) ? ReceiptFrameType.Sent
        : reader.ValueTextEquals("message"u8) ? ReceiptFrameType.Message
        : reader.ValueTextEquals("receipt"u8) ? ReceiptFrameType.Receipt
        : reader.ValueTextEquals("error"u8) ? ReceiptFrameType.Error
        : ReceiptFrameType.Other;

    private static void ReadMessage(ref Utf8JsonReader reader, ReadOnlySpan<byte> readerName, ref ReceiptFrame frame)
    {
        int depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1)
            {
                if (reader.ValueTextEquals("seq"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number) reader.TryGetInt64(out frame.Seq);
                }
                else if (reader.ValueTextEquals("from"u8))
                {
                    reader.Read();
                    frame.FromReader = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(readerName);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
    }
}
