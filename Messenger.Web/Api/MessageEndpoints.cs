using Akka.Actor;
using Akka.Hosting;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using Messenger.Node.Hosting;
using Messenger.Web.Auth;

namespace Messenger.Web.Api;

/// <summary>POST /api/messages: answers 200 Sent only once the message is durable in both copies.</summary>
public static class MessageEndpoints
{
    public sealed record SendBody(string? ClientMessageId, string? To, string? Body);

    public static void MapMessageEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/messages", Send).RequireAuthorization();

    private static async Task<IResult> Send(HttpContext context, IRequiredActor<UserInboxes> inboxes,
        SendRateLimiter limiter, EdgeTimeouts timeouts, SendAdmission admission)
    {
        var (body, error) = await RequestReading.ReadJsonAsync<SendBody>(context.Request);
        if (error is not null) return error;
        var me = context.UserId();
        var (send, code, message) = SendValidation.Validate(me, body!.ClientMessageId, body.To, body.Body);
        if (send is null) return ApiResults.Error(code!, message!);
        if (!limiter.TryAcquire(me)) return ApiResults.Error(ErrorCodes.RateLimited, "too many messages; slow down");

        var answer = await EdgeSend.AskAsync(await inboxes.GetAsync(context.RequestAborted),
            new UserCommands.SendMessage(me, send.Value.ClientMessageId, send.Value.To, send.Value.Body), timeouts.Send, admission, context.RequestAborted);
        return answer switch
        {
            UserReplies.MessageSent sent => ApiResults.Json(200, w =>
            {
                w.WriteStartObject();
                ApiJson.WriteSentFields(w, sent.Message);
                w.WriteEndObject();
            }),
            UserReplies.Rejected rejected => ApiResults.Error(rejected),
            _ => ApiResults.Unavailable("the message is not durable yet; retry with the same clientMessageId"),
        };
    }
}

/// <summary>How long the edge waits for the actors: a little longer than the send saga's own deadline.</summary>
public sealed record EdgeTimeouts(TimeSpan Send, TimeSpan Query);

/// <summary>Ask at the edge only: a timeout or a cancelled request becomes null, which callers answer as unavailable.</summary>
public static class EdgeAsk
{
    public static async Task<object?> AskAsync<TKey>(IRequiredActor<TKey> actor, object message, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            var target = await actor.GetAsync(ct);
            return await target.Ask<object>(message, timeout, ct);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException or OperationCanceledException)
        {
            return null;
        }
    }
}
