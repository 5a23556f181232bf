using Messenger.Messages.Telemetry;
using Akka.Streams;
using Messenger.Web.Api;
using Messenger.Web.Auth;

namespace Messenger.Web.RealTime;

/// <summary>GET /ws: authenticated upgrade (401 before any socket opens), then one <see cref="DeviceConnection"/>.</summary>
public static class WebSocketEndpoint
{
    public static void MapWebSocketEndpoint(this IEndpointRouteBuilder app) =>
        app.Map("/ws", Connect).RequireAuthorization();

    private static async Task<IResult> Connect(HttpContext context, InboxGateway gateway, LiveDevices live, BridgeSettings settings,
        ConnectionRegistry connections, EdgeTimeouts timeouts, IMaterializer materializer, IHostApplicationLifetime lifetime,
        SessionCache sessions)
    {
        if (!context.WebSockets.IsWebSocketRequest)
            return ApiResults.Error(Messenger.Messages.Chat.ErrorCodes.InvalidRequest, "this endpoint takes a WebSocket upgrade");
        if (!connections.TryOpen())
            return ApiResults.Error(503, Messenger.Messages.Chat.ErrorCodes.Unavailable,
                "this node is at its connection limit; try again later", TimeSpan.FromSeconds(5));
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            var connection = new DeviceConnection(context.UserId(), gateway, live, settings, materializer, stop.Token);
            if (!await connection.AttachedAsync(timeouts.Query, context.RequestAborted))
                return ApiResults.Unavailable("the inbox did not answer; try again");
            var accepted = await SocketUpgrade.AcceptAsync(context, TimeSpan.FromSeconds(30));
            if (accepted is not { } upgraded)
            {
                connection.Abandon();
                return ApiResults.Error(Messenger.Messages.Chat.ErrorCodes.InvalidRequest, "this endpoint takes a WebSocket upgrade");
            }
            using var socket = new RevocableSocket(upgraded.Socket);
            // Signed out (this token, everywhere, or a password change): error frame `unauthorized`, then close 1008.
            using var signedOut = sessions.Watch(TokenSession.From(context.User)!, () => socket.Revoke(stop));
            MessengerMetrics.Connections.Add(1);
            try
            {
                await connection.RunAsync(socket, upgraded.Kinds, upgraded.Writes);
            }
            finally
            {
                MessengerMetrics.Connections.Add(-1);
            }
            return Results.Empty;
        }
        finally
        {
            connections.Close();
        }
    }
}
