using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Api;

/// <summary>
/// The bridge's limits: a device that stops reading is closed with 1013 (it reconnects and syncs) instead of holding
/// an unbounded queue, and a node at its connection cap refuses the upgrade with 503 <c>unavailable</c>.
/// </summary>
public sealed class OverflowTests
{
    [Fact]
    public async Task A_device_that_stops_reading_is_closed_with_1013_and_others_keep_their_pushes()
    {
        const int pushBuffer = 16;
        await using var server = await MessengerServer.StartAsync(null, $"--Messenger:WebSocket:PushBuffer={pushBuffer}",
            "--Messenger:SendRate:PerSecond=100000", "--Messenger:SendRate:Burst=100000");
        using var bob = await ChatClient.SignUpAsync(server.BaseUrl);
        var senders = new List<ChatClient>();
        for (var i = 0; i < 8; i++) senders.Add(await ChatClient.SignUpAsync(server.BaseUrl));
        await using var healthy = await ChatSocket.ConnectAsync(bob);
        using var stalled = await StalledDevice.ConnectAsync(server.BaseUrl, bob.Token);

        // Enough pushes to fill everything between the bridge and the stalled client (the server's socket send buffer
        // at its largest, the transport's pipes, the client's small receive buffer, one batch in the writer), and
        // then the device's push buffer.
        var body = new string('x', 4000);
        const int frameBytes = 4000 + 250;
        var socketBytes = MaxSendBufferBytes() + 4 * 64 * 1024;
        var total = (int)(socketBytes / frameBytes) + 64 + pushBuffer + 100;
        var perSender = (total + senders.Count - 1) / senders.Count;
        total = perSender * senders.Count;
        await Task.WhenAll(senders.Select(async sender =>
        {
            for (var i = 0; i < perSender; i++) await sender.SendPatientlyAsync(bob.UserId, body);
        }));

        // The healthy device got every message, each once.
        var seqs = new HashSet<long>();
        while (seqs.Count < total)
        {
            var frame = await healthy.WaitForTypeAsync("message");
            Assert.True(seqs.Add((long)frame["message"]!["seq"]!));
        }

        // The stalled one, once it reads again, finds what was already in its socket and then the close.
        var (frames, status) = await stalled.ReadToCloseAsync();
        Assert.Equal((WebSocketCloseStatus)1013, status);
        Assert.True(frames < total, $"all {frames} frames arrived; the device was never behind");
    }

    /// <summary>The most a kernel lets a TCP send buffer grow to (Linux autotuning), or 4 MiB where unknown.</summary>
    private static long MaxSendBufferBytes()
    {
        const string wmem = "/proc/sys/net/ipv4/tcp_wmem";
        return File.Exists(wmem) && long.TryParse(File.ReadAllText(wmem).Split((char[])['\t', ' ', '\n'],
            StringSplitOptions.RemoveEmptyEntries).Last(), out var max)
            ? max
            : 4 * 1024 * 1024;
    }

    [Fact]
    public async Task Past_the_connection_cap_the_upgrade_is_503_unavailable_until_a_device_leaves()
    {
        await using var server = await MessengerServer.StartAsync(null, "--Messenger:MaxConnections=2");
        using var alice = await ChatClient.SignUpAsync(server.BaseUrl);
        var first = await ChatSocket.ConnectAsync(alice);
        await using var second = await ChatSocket.ConnectAsync(alice);

        using (var refused = new ClientWebSocket())
        {
            refused.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(
                new Uri($"ws://{server.BaseUrl.Authority}/ws?access_token={Uri.EscapeDataString(alice.Token)}"), CancellationToken.None));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.HttpStatusCode);
        }
        var raw = await RawHttp.SendAsync(server.BaseUrl,
            $"GET /ws?access_token={Uri.EscapeDataString(alice.Token)} HTTP/1.1\r\nHost: {server.BaseUrl.Authority}\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        Assert.Equal(503, raw.Status);
        Assert.Equal("unavailable", (string?)raw.Json!["code"]);
        Assert.Contains("Retry-After:", raw.Head, StringComparison.OrdinalIgnoreCase);

        // The connected devices are untouched, and a place frees up when one leaves.
        await second.SendJsonAsync(new { type = "ping" });
        await second.WaitForTypeAsync("pong");
        await first.DisposeAsync();
        var deadline = DateTime.UtcNow + ChatSocket.DefaultWait;
        while (true)
        {
            try
            {
                await using var third = await ChatSocket.ConnectAsync(alice);
                await third.SendJsonAsync(new { type = "ping" });
                await third.WaitForTypeAsync("pong");
                break;
            }
            catch (WebSocketException) when (DateTime.UtcNow < deadline)
            {
                // The server counts the closed connection out once its handshake ends.
                await Task.Yield();
            }
        }
    }

    /// <summary>
    /// A WebSocket client that stops reading after the upgrade, with a small receive buffer, like a phone on a dead
    /// network that has not noticed yet. Upgraded by hand: ClientWebSocket cannot shrink its socket's buffer.
    /// </summary>
    private sealed class StalledDevice : IDisposable
    {
        private readonly TcpClient _tcp;
        private readonly WebSocket _socket;

        private StalledDevice(TcpClient tcp, WebSocket socket) => (_tcp, _socket) = (tcp, socket);

        public static async Task<StalledDevice> ConnectAsync(Uri baseUrl, string token)
        {
            var tcp = new TcpClient { ReceiveBufferSize = 4096 };
            await tcp.ConnectAsync(baseUrl.Host, baseUrl.Port);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"GET /ws?access_token={Uri.EscapeDataString(token)} HTTP/1.1\r\nHost: {baseUrl.Authority}\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
            // Byte by byte, so not one byte of the first frames is read past the response head.
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await stream.ReadAsync(one) == 0) throw new InvalidOperationException($"closed during upgrade: {head}");
                head.Append((char)one[0]);
            }
            Assert.StartsWith("HTTP/1.1 101", head.ToString());
            return new StalledDevice(tcp, WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false }));
        }

        /// <summary>Reads everything the server still sends: the number of frames, and the close status.</summary>
        public async Task<(int Frames, WebSocketCloseStatus? Status)> ReadToCloseAsync()
        {
            var buffer = new byte[64 * 1024];
            var frames = 0;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (true)
            {
                ValueWebSocketReceiveResult result;
                try
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(), timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"no close after {frames} frames");
                }
                if (result.MessageType == WebSocketMessageType.Close) return (frames, _socket.CloseStatus);
                if (result.EndOfMessage) frames++;
            }
        }

        public void Dispose()
        {
            _socket.Dispose();
            _tcp.Dispose();
        }
    }
}
