using Akka.Actor;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using Messenger.Web.Auth;
using Messenger.Web.RealTime;

namespace Messenger.Web.Api;

/// <summary>
/// <c>GET /api/users/{userId}/presence</c>: asked of the caller's inbox, which checks that the caller may see the user
/// (a shared conversation) and has the user's own inbox answer. Anyone else, and any name that is no user id, is 404.
/// </summary>
public static class PresenceEndpoints
{
    public static void MapPresenceEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/users/{userId}/presence", Presence).RequireAuthorization();

    private static async Task<IResult> Presence(string userId, HttpContext context, InboxRegion region, EdgeTimeouts timeouts)
    {
        if (UserId.TryParse(userId) is not { } of) return ApiResults.Error(ErrorCodes.NotFound, "no such user, or no conversation with them");
        object answer;
        try
        {
            var inboxes = await region.GetAsync(context.RequestAborted);
            answer = await inboxes.Ask<object>(new PresenceCommands.GetPresence(context.UserId(), of), timeouts.Query, context.RequestAborted);
        }
        catch (Exception e) when (e is AskTimeoutException or OperationCanceledException)
        {
            return ApiResults.Unavailable();
        }
        return answer switch
        {
            PresenceReplies.UserPresence presence => ApiResults.Json(200, w =>
            {
                w.WriteStartObject();
                WatchJson.WriteFields(w, presence);
                w.WriteEndObject();
            }),
            UserReplies.Rejected rejected => ApiResults.Error(rejected),
            _ => ApiResults.Unavailable(),
        };
    }
}
