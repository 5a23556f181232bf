using System.Text.Json;
using Messenger.Messages.Chat;
using Messenger.Web.Auth;

namespace Messenger.Web.Api;

/// <summary><c>POST /api/received {"upTo":seq}</c> → 204: the HTTP form of the <c>received</c> frame.</summary>
public static class ReceiptEndpoints
{
    /// <summary>Read as raw JSON: the web defaults would take a numeric string, and the contract wants an integer.</summary>
    public sealed record ReceivedBody(JsonElement? UpTo);

    public static void MapReceiptEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/received", Received).RequireAuthorization();

    private static async Task<IResult> Received(HttpContext context, InboxGateway gateway)
    {
        var (body, error) = await RequestReading.ReadJsonAsync<ReceivedBody>(context.Request);
        if (error is not null) return error;
        if (SeqOf(body!.UpTo) is not { } upTo) return ApiResults.Error(ErrorCodes.InvalidRequest, "upTo must be an integer ≥ 0");
        var answer = await gateway.MarkReceivedAsync(context.UserId(), upTo, context.RequestAborted);
        return answer.Value is not null ? Results.NoContent() : ApiResults.Error(answer.Error!);
    }

    private static long? SeqOf(JsonElement? upTo) =>
        upTo is { ValueKind: JsonValueKind.Number } number && number.TryGetInt64(out var seq) && seq >= 0 ? seq : null;
}
