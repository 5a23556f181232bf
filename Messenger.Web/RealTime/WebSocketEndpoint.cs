using Akka.Actor;
using Akka.Hosting;
using Akka.Streams;
using Messenger.Messages.Chat;
using Messenger.Node.Hosting;
using Messenger.Web.Api;
using Messenger.Web.Auth;

namespace Messenger.Web.RealTime;

/// <summary>GET /ws: authenticated upgrade (401 before any socket opens), then one <see cref="DeviceConnection"/>.</summary>
public static class WebSocketEndpoint
{
    public static void MapWebSocketEndpoint(this IEndpointRouteBuilder app) =>
        app.Map("/ws", Connect).RequireAuthorization();

    private static async Task<IResult> Connect(HttpContext context, IRequiredActor<UserInboxes> inboxes, ConnectionRegistry connections,
        SendRateLimiter limiter, EdgeTimeouts timeouts, IMaterializer materializer, IHostApplicationLifetime lifetime,
        SendAdmission admission, SessionCache sessions)
    {
        if (!context.WebSockets.IsWebSocketRequest)
            return ApiResults.Error(ErrorCodes.InvalidRequest, "this endpoint takes a WebSocket upgrade");
        if (!connections.TryOpen())
            return ApiResults.Error(ErrorCodes.Unavailable, "this node is at its connection limit; try again later");
        try
        {
            var connection = new DeviceConnection(context.UserId(), await inboxes.GetAsync(context.RequestAborted), limiter, timeouts, materializer, admission);
            var attached = await connection.AttachAsync(context.RequestAborted);
            if (attached is null) return ApiResults.Unavailable("the inbox did not answer; try again");
            using var socket = new RevocableSocket(await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                KeepAliveInterval = TimeSpan.FromSeconds(30),
            }));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            // Signed out (this token, everywhere, or a password change): error frame `unauthorized`, then close 1008.
            using var signedOut = sessions.Watch(TokenSession.From(context.User)!, () => socket.Revoke(stop));
            await connection.RunAsync(socket, attached.Value.Device, attached.Value.Pushes, stop.Token);
            return Results.Empty;
        }
        finally
        {
            connections.Close();
        }
    }
}
