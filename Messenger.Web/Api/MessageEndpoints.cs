using Messenger.Messages.Chat;
using Messenger.Web.Auth;

namespace Messenger.Web.Api;

/// <summary>POST /api/messages: answers 200 Sent only once the message is durable in both copies.</summary>
public static class MessageEndpoints
{
    public sealed record SendBody(string? ClientMessageId, string? To, string? Body, string?[]? Attachments = null);

    public static void MapMessageEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/messages", Send).RequireAuthorization()
            .Describe("SendMessage", "Send a message; answers once it is durable in both participants' copies", "messages")
            .Takes<SendBody>().Answers<OpenApiShapes.Sent>()
            .Fails(ErrorCodes.InvalidRequest, ErrorCodes.Forbidden, ErrorCodes.NotFound, ErrorCodes.TooLarge, ErrorCodes.RateLimited, ErrorCodes.Unavailable);

    private static async Task<IResult> Send(HttpContext context, InboxGateway gateway)
    {
        var (body, error) = await RequestReading.ReadJsonAsync<SendBody>(context.Request);
        if (error is not null) return error;
        var answer = await gateway.SendAsync(context.UserId(), body!.ClientMessageId, body.To, body.Body, context.RequestAborted, body.Attachments);
        return ApiResults.From(answer, (w, sent) =>
        {
            w.WriteStartObject();
            ApiJson.WriteSentFields(w, sent);
            w.WriteEndObject();
        });
    }
}
