using System.Buffers;
using System.Text.Json;
using Messenger.Messages.Chat;
using Messenger.Web.Api;

namespace Messenger.Tests.Api;

/// <summary>The Message object as clients read it, written by <see cref="ApiJson"/> for HTTP and WebSocket alike.</summary>
public sealed class MessageJsonSpecs
{
    private static JsonElement Written(InboxMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer)) ApiJson.WriteMessage(w, message);
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement;
    }

    private static readonly ChatMessage Sample = new(Guid.NewGuid(), Guid.NewGuid(), "dm:alice:bob", "alice", "bob", "hi",
        new DateTime(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc), "00000000000000010000000a");

    [Fact]
    public void A_message_has_the_contract_fields_and_no_retracted_flag()
    {
        var json = Written(new InboxMessage(Sample, 7));
        Assert.Equal(Sample.MessageId.ToString(), json.GetProperty("messageId").GetString());
        Assert.Equal("dm:alice:bob", json.GetProperty("conversationId").GetString());
        Assert.Equal(7, json.GetProperty("seq").GetInt64());
        Assert.False(json.TryGetProperty("retracted", out _));
    }

    [Fact]
    public void A_withdrawn_recipient_copy_says_retracted()
    {
        var json = Written(new InboxMessage(Sample, 9, Retracted: true));
        Assert.True(json.GetProperty("retracted").GetBoolean());
        Assert.Equal(9, json.GetProperty("seq").GetInt64());
        Assert.Equal(Sample.Order, json.GetProperty("order").GetString());
    }
}
