using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace Messenger.Web.RealTime;

/// <summary>
/// The RFC 6455 upgrade done here rather than by <c>AcceptWebSocketAsync</c>, so the socket reads client frames
/// through <see cref="ClientFrameKinds"/> (the bridge, not the protocol code, answers a frame that is not UTF-8).
/// </summary>
public static class SocketUpgrade
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static async Task<(WebSocket Socket, ClientFrameKinds Kinds, CoalescedWrites Writes)?> AcceptAsync(HttpContext context, TimeSpan keepAlive)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var key = context.Request.Headers.SecWebSocketKey.ToString();
        if (upgrade is not { IsUpgradableRequest: true } || key.Length == 0) return null;
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.SecWebSocketAccept =
            Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key.Trim() + AcceptGuid)));
        var writes = new CoalescedWrites(await upgrade.UpgradeAsync());
        var kinds = new ClientFrameKinds(writes);
        var socket = WebSocket.CreateFromStream(kinds, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = keepAlive });
        return (socket, kinds, writes);
    }
}
