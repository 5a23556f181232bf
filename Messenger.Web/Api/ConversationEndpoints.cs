using Akka.Hosting;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using Messenger.Node.Hosting;
using Messenger.Node.Inbox;
using Messenger.Web.Auth;

namespace Messenger.Web.Api;

/// <summary>Recent conversations, history pages, the read marker and sync: all answered by the caller's own inbox.</summary>
public static class ConversationEndpoints
{
    public sealed record ReadBody(string? UpTo);

    public static void MapConversationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/conversations", Conversations).RequireAuthorization();
        app.MapGet("/api/conversations/{conversationId}/messages", History).RequireAuthorization();
        app.MapPost("/api/conversations/{conversationId}/read", Read).RequireAuthorization();
        app.MapGet("/api/sync", Sync).RequireAuthorization();
    }

    private static async Task<IResult> Conversations(HttpContext context, IRequiredActor<UserInboxes> inboxes, EdgeTimeouts timeouts)
    {
        var (offset, e1) = RequestReading.IntQuery(context.Request, "offset", 0, 0, int.MaxValue);
        if (e1 is not null) return e1;
        var (limit, e2) = RequestReading.IntQuery(context.Request, "limit", 20, 1, 100);
        if (e2 is not null) return e2;
        var answer = await EdgeAsk.AskAsync(inboxes, new UserQueries.GetConversations(context.UserId(), offset, limit),
            timeouts.Query, context.RequestAborted);
        if (answer is not UserReplies.ConversationsPage page) return Failed(answer);
        return ApiResults.Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("conversations");
            foreach (var c in page.Conversations) ApiJson.WriteConversation(w, c);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> History(string conversationId, HttpContext context,
        IRequiredActor<UserInboxes> inboxes, EdgeTimeouts timeouts)
    {
        var me = context.UserId();
        var denied = CheckParticipant(conversationId, me);
        if (denied is not null) return denied;
        var before = context.Request.Query["before"].ToString();
        if (before.Length == 0) before = null!;
        else if (!ConversationOrder.IsValid(before))
            return ApiResults.Error(ErrorCodes.InvalidRequest, "before must be an order from a message");
        var (limit, error) = RequestReading.IntQuery(context.Request, "limit", 50, 1, 200);
        if (error is not null) return error;

        var answer = await EdgeAsk.AskAsync(inboxes, new UserQueries.GetHistory(me, conversationId, before, limit),
            timeouts.Query, context.RequestAborted);
        if (answer is not UserReplies.HistoryPage page) return Failed(answer);
        return ApiResults.Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("messages");
            foreach (var m in page.Messages) ApiJson.WriteMessage(w, m);
            w.WriteEndArray();
            if (page.NextBefore is null) w.WriteNull("nextBefore");
            else w.WriteString("nextBefore", page.NextBefore);
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> Read(string conversationId, HttpContext context,
        IRequiredActor<UserInboxes> inboxes, EdgeTimeouts timeouts)
    {
        var me = context.UserId();
        var denied = CheckParticipant(conversationId, me);
        if (denied is not null) return denied;
        var (body, error) = await RequestReading.ReadJsonAsync<ReadBody>(context.Request);
        if (error is not null) return error;
        if (!ConversationOrder.IsValid(body!.UpTo))
            return ApiResults.Error(ErrorCodes.InvalidRequest, "upTo must be an order from a message");
        var answer = await EdgeAsk.AskAsync(inboxes, new UserCommands.MarkRead(me, conversationId, body.UpTo!),
            timeouts.Query, context.RequestAborted);
        return answer is UserReplies.ReadMarked ? Results.NoContent() : Failed(answer);
    }

    private static async Task<IResult> Sync(HttpContext context, IRequiredActor<UserInboxes> inboxes, EdgeTimeouts timeouts)
    {
        var afterRaw = context.Request.Query["after"].ToString();
        long after = 0;
        if (afterRaw.Length > 0 && (!long.TryParse(afterRaw, out after) || after < 0))
            return ApiResults.Error(ErrorCodes.InvalidRequest, "after must be an integer ≥ 0");
        var (limit, error) = RequestReading.IntQuery(context.Request, "limit", 500, 1, 1000);
        if (error is not null) return error;
        var answer = await EdgeAsk.AskAsync(inboxes, new UserQueries.GetInboxAfter(context.UserId(), after, limit),
            timeouts.Query, context.RequestAborted);
        if (answer is not UserReplies.InboxPage page) return Failed(answer);
        return ApiResults.Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("events");
            foreach (var m in page.Messages) ApiJson.WriteMessage(w, m);
            w.WriteEndArray();
            w.WriteNumber("nextAfter", page.NextAfter);
            w.WriteEndObject();
        });
    }

    /// <summary>404 for what is not a conversation id at all; 403 for someone else's conversation.</summary>
    public static IResult? CheckParticipant(string conversationId, string me)
    {
        if (!ConversationId.IsWellFormed(conversationId))
            return ApiResults.Error(ErrorCodes.NotFound, "no such conversation");
        return ConversationId.PeerOf(conversationId, me) is null
            ? ApiResults.Error(ErrorCodes.Forbidden, "you are not in this conversation")
            : null;
    }

    private static IResult Failed(object? answer) => answer is UserReplies.Rejected rejected
        ? ApiResults.Error(rejected)
        : ApiResults.Unavailable();
}
