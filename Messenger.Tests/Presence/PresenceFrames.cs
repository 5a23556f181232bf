using System.Text.Json.Nodes;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Presence;

/// <summary>Waits on the presence and typing frames of the contract (API.md "Typing", "Presence").</summary>
internal static class PresenceFrames
{
    public static Task<JsonObject> WaitPresenceAsync(this ChatSocket socket, string userId, bool online, TimeSpan? timeout = null) =>
        socket.WaitForAsync(f => (string?)f["type"] == "presence" && (string?)f["userId"] == userId && (bool?)f["online"] == online,
            timeout);

    public static Task<JsonObject> WaitTypingAsync(this ChatSocket socket, string conversationId, string userId) =>
        socket.WaitForAsync(f => (string?)f["type"] == "typing" && (string?)f["conversationId"] == conversationId && (string?)f["userId"] == userId);

    /// <summary>Round trip on the socket: everything the server sent before the pong is in <see cref="ChatSocket.Skipped"/>.</summary>
    public static async Task PingAsync(this ChatSocket socket)
    {
        await socket.SendJsonAsync(new { type = "ping" });
        await socket.WaitForTypeAsync("pong");
    }

    public static Task<JsonObject> WaitErrorAsync(this ChatSocket socket) => socket.WaitForTypeAsync("error");

    public static bool HasFrame(this ChatSocket socket, string type, string? userId = null) =>
        socket.Skipped.Any(f => (string?)f["type"] == type && (userId is null || (string?)f["userId"] == userId));

    /// <summary>Two users who share a conversation (one message), so each may see the other's presence and typing.</summary>
    public static async Task<(ChatClient A, ChatClient B)> TwoTalkingAsync(Uri url)
    {
        var a = await ChatClient.SignUpAsync(url);
        var b = await ChatClient.SignUpAsync(url);
        await a.SendAsync(b.UserId, "hello");
        return (a, b);
    }
}
