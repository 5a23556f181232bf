using System.Text.Json;
using Messenger.Messages.Devices;
using Messenger.Web.Api;

namespace Messenger.Web.RealTime;

/// <summary><c>{"type":"receipt","conversationId","userId","delivered","read"}</c>: a user's markers moved.</summary>
public sealed record ReceiptFrame(DeviceReceipt Receipt) : ServerFrame
{
    public override void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", "receipt");
        w.WriteString("conversationId", Receipt.ConversationId);
        w.WriteString("userId", Receipt.UserId);
        ReceiptJson.WriteMarker(w, "delivered", Receipt.Delivered);
        ReceiptJson.WriteMarker(w, "read", Receipt.Read);
        w.WriteEndObject();
    }
}

/// <summary>The bridge's answer to a <c>received</c> frame: nothing when accepted (receipt frames follow), else an error.</summary>
public static class ReceiptAnswers
{
    public static async Task<ServerFrame?> ReceivedAsync(InboxGateway gateway, string me, long? upTo)
    {
        var answer = await gateway.MarkReceivedAsync(me, upTo, CancellationToken.None);
        return answer.Value is not null ? null : new ErrorFrame(answer.Error!.Code, answer.Error.Message);
    }
}
