using Messenger.Messages.Chat;
using Messenger.Web.Auth;

namespace Messenger.Web.Api;

/// <summary>Recent conversations, history pages, the read marker and sync: all answered by the caller's own inbox.</summary>
public static class ConversationEndpoints
{
    public sealed record ReadBody(string? UpTo);

    public static void MapConversationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/conversations", Conversations).RequireAuthorization()
            .Describe("ListConversations", "The caller's conversations, most recent activity first", "conversations")
            .WithQuery("offset", "how many to skip (default 0)").WithQuery("limit", "1–100 (default 20)")
            .Answers<OpenApiShapes.ConversationList>().Fails(ErrorCodes.InvalidRequest);
        app.MapGet("/api/conversations/{conversationId}/messages", History).RequireAuthorization()
            .Describe("GetHistory", "The newest messages older than `before`, oldest first", "conversations")
            .WithQuery("before", "an `order`: only older messages (default: from the newest)", integer: false)
            .WithQuery("limit", "1–200 (default 50)")
            .Answers<OpenApiShapes.HistoryPage>().Fails(ErrorCodes.InvalidRequest, ErrorCodes.Forbidden, ErrorCodes.NotFound);
        app.MapPost("/api/conversations/{conversationId}/read", Read).RequireAuthorization()
            .Describe("MarkRead", "Move the caller's read marker forward to `upTo` (never back)", "conversations")
            .Takes<ReadBody>().AnswersEmpty().Fails(ErrorCodes.InvalidRequest, ErrorCodes.Forbidden, ErrorCodes.NotFound);
        app.MapGet("/api/sync", Sync).RequireAuthorization()
            .Describe("Sync", "The caller's inbox messages after `after`, in inbox order", "sync")
            .WithQuery("after", "a seq ≥ 0 (default 0)").WithQuery("limit", "1–1000 (default 500)")
            .Answers<OpenApiShapes.SyncPage>().Fails(ErrorCodes.InvalidRequest);
    }

    private static async Task<IResult> Conversations(HttpContext context, InboxGateway gateway)
    {
        if (!RequestReading.TryInt(context.Request, "offset", out var offset, out var error)) return error!;
        if (!RequestReading.TryInt(context.Request, "limit", out var limit, out error)) return error!;
        var answer = await gateway.ConversationsAsync(context.UserId(), offset, limit, context.RequestAborted);
        return ApiResults.From(answer, (w, page) =>
        {
            w.WriteStartObject();
            w.WriteStartArray("conversations");
            foreach (var c in page.Conversations) ApiJson.WriteConversation(w, c);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> History(string conversationId, HttpContext context, InboxGateway gateway)
    {
        if (!RequestReading.TryInt(context.Request, "limit", out var limit, out var error)) return error!;
        var before = context.Request.Query["before"].ToString();
        var answer = await gateway.HistoryAsync(context.UserId(), conversationId, before.Length == 0 ? null : before, limit,
            context.RequestAborted);
        return ApiResults.From(answer, (w, page) =>
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

    private static async Task<IResult> Read(string conversationId, HttpContext context, InboxGateway gateway)
    {
        // The participant check comes first: a stranger learns nothing from the body's shape.
        if (InboxGateway.Participant(conversationId, context.UserId()) is { } denied) return ApiResults.Error(denied);
        var (body, error) = await RequestReading.ReadJsonAsync<ReadBody>(context.Request);
        if (error is not null) return error;
        var answer = await gateway.MarkReadAsync(context.UserId(), conversationId, body!.UpTo, context.RequestAborted);
        return answer.Value is not null ? Results.NoContent() : ApiResults.Error(answer.Error!);
    }

    private static async Task<IResult> Sync(HttpContext context, InboxGateway gateway)
    {
        if (!RequestReading.TryLong(context.Request, "after", out var after, out var error)) return error!;
        if (!RequestReading.TryInt(context.Request, "limit", out var limit, out error)) return error!;
        var answer = await gateway.InboxAfterAsync(context.UserId(), after, limit, context.RequestAborted);
        return ApiResults.From(answer, (w, page) =>
        {
            w.WriteStartObject();
            w.WriteStartArray("events");
            foreach (var m in page.Messages) ApiJson.WriteMessage(w, m);
            w.WriteEndArray();
            w.WriteNumber("nextAfter", page.NextAfter);
            w.WriteEndObject();
        });
    }
}
