using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Messenger.Bench;

namespace Messenger.Tests.Bench;

/// <summary>The devices' shared receive loop and frame parser, over a real loopback WebSocket (no server app).</summary>
public sealed class SocketFrameReaderTests
{
    [Fact]
    public async Task Fragmented_text_frames_arrive_whole_binary_ones_are_skipped_and_a_close_ends_the_loop()
    {
        var (client, server, sockets) = await PairAsync();
        using var owned = sockets;
        var seen = new List<string>();
        var reading = SocketFrameReader.ReadFramesAsync(client, utf8 => seen.Add(Encoding.UTF8.GetString(utf8)));

        string big = new string('x', 40_000) + "end"; // outgrows the 16 KB buffer twice
        byte[] bigBytes = Encoding.UTF8.GetBytes(big);
        for (int at = 0; at < bigBytes.Length; at += 5_000)
        {
            int n = Math.Min(5_000, bigBytes.Length - at);
            await server.SendAsync(bigBytes.AsMemory(at, n), WebSocketMessageType.Text, at + n == bigBytes.Length, CancellationToken.None);
        }
        await server.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        await server.SendAsync("{\"type\":\"sent\"}"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        await server.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);

        await reading.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([big, "{\"type\":\"sent\"}"], seen);
    }

    [Fact]
    public async Task A_socket_that_dies_ends_the_loop_without_throwing()
    {
        var (client, server, sockets) = await PairAsync();
        using var owned = sockets;
        var reading = SocketFrameReader.ReadFramesAsync(client, _ => { });
        server.Abort();
        sockets.Dispose();
        await reading.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(reading.IsCompletedSuccessfully);
    }

    [Fact]
    public void Closed_loop_frames_give_the_send_answered_the_messages_own_id_and_the_error_code()
    {
        var id = Guid.NewGuid();
        Assert.True(FrameParser.TryParse(Encoding.UTF8.GetBytes($$"""{"message":{"meta":{"clientMessageId":"x"},"clientMessageId":"{{id}}"},"type":"message","clientMessageId":"{{Guid.Empty}}"}"""), out var message));
        Assert.Equal((FrameType.Message, id, true, false), (message.Type, message.ClientMessageId, message.HasClientMessageId, message.InGroup));
        Assert.True(FrameParser.TryParse(Encoding.UTF8.GetBytes($$"""{"type":"error","code":"some_new_code","message":"text"}"""), out var error));
        Assert.Equal((FrameType.Error, "some_new_code", false, 0.0), (error.Type, error.ErrorCode, error.HasClientMessageId, error.RetryAfterSec));
        Assert.True(FrameParser.TryParse("""{"type":"receipt","upTo":3}"""u8, out var other));
        Assert.Equal(FrameType.Other, other.Type);
        Assert.False(FrameParser.TryParse("""{"type":"sent","clientMessageId":"""u8, out _));
    }

    private sealed class Sockets(TcpListener listener, TcpClient a, TcpClient b) : IDisposable
    {
        public void Dispose()
        {
            a.Dispose();
            b.Dispose();
            listener.Stop();
        }
    }

    private static async Task<(WebSocket Client, WebSocket Server, Sockets Sockets)> PairAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var clientTcp = new TcpClient();
        var accepting = listener.AcceptTcpClientAsync();
        await clientTcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var serverTcp = await accepting;
        var client = WebSocket.CreateFromStream(clientTcp.GetStream(), isServer: false, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        var server = WebSocket.CreateFromStream(serverTcp.GetStream(), isServer: true, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        return (client, server, new Sockets(listener, clientTcp, serverTcp));
    }
}
