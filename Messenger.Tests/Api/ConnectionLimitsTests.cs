using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Api;

/// <summary>The WebSocket limits a node enforces: the connection cap (503 at the upgrade) and the slow-device close (1013).</summary>
public sealed class ConnectionLimitsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Past_the_connection_cap_an_upgrade_gets_503_unavailable_and_a_freed_slot_is_usable_again()
    {
        await using var server = await MessengerServer.StartAsync(null, "--Messenger:MaxConnections=2");
        using var alice = await ChatClient.SignUpAsync(server.BaseUrl);
        var first = await ChatSocket.ConnectAsync(alice);
        await using var second = await ChatSocket.ConnectAsync(alice);

        using (var third = new ClientWebSocket())
        {
            third.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => third.ConnectAsync(SocketUri(server.BaseUrl, alice.Token), CancellationToken.None));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, third.HttpStatusCode);
        }
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        var request = new HttpRequestMessage(HttpMethod.Get, $"/ws?access_token={Uri.EscapeDataString(alice.Token)}");
        request.Headers.Add("Connection", "Upgrade");
        request.Headers.Add("Upgrade", "websocket");
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        var refused = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var body = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal("unavailable", (string?)body["code"]);
        Assert.False(string.IsNullOrEmpty((string?)body["message"]));

        // The open connections still work, and once one closes a new device gets its slot (bounded wait: the node
        // frees the slot when the closed connection's handler ends).
        await second.SendJsonAsync(new { type = "ping" });
        await second.WaitForTypeAsync("pong");
        await first.DisposeAsync();
        var deadline = DateTime.UtcNow + ChatSocket.DefaultWait;
        ChatSocket? again = null;
        while (again is null)
        {
            try
            {
                again = await ChatSocket.ConnectAsync(alice);
            }
            catch (WebSocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50); // polling interval of a bounded wait
            }
        }
        await using (again)
        {
            await again.SendJsonAsync(new { type = "ping" });
            await again.WaitForTypeAsync("pong");
        }
    }

    /// <summary>
    /// A device that reads more slowly than messages come is closed with 1013 once more than the node's live buffer
    /// (1,024 frames) waits for it: the close frame comes after the frames already on their way, which the device
    /// still reads. The user's other device keeps receiving, and the slow device reconnects and syncs from the last
    /// seq it holds without losing anything.
    /// </summary>
    [Fact]
    public async Task A_device_that_cannot_keep_up_is_closed_with_1013_and_loses_nothing_after_it_syncs()
    {
        await using var server = await MessengerServer.StartAsync(null,
            "--Messenger:SendRate:PerSecond=100000", "--Messenger:SendRate:Burst=100000", "--Messenger:SqliteSynchronous=NORMAL");
        using var bob = await ChatClient.SignUpAsync(server.BaseUrl);
        var senders = new List<ChatClient>();
        for (var i = 0; i < 8; i++) senders.Add(await ChatClient.SignUpAsync(server.BaseUrl));
        using var slow = await ConnectWithSmallReceiveWindowAsync(server.BaseUrl, bob.Token);
        var slowReading = ReadUntilClosedAsync(slow, TimeSpan.FromMinutes(2));
        await using var fast = await ChatSocket.ConnectAsync(bob);

        // Each frame carries ~24 KB (control characters are escaped as \u00XX in JSON): the slow device reads ~20 a
        // second, the senders store far more, so the TCP buffers fill and then the node's live buffer for that device.
        const int perSender = 165;
        var body = new string('\u0001', 4096);
        await Task.WhenAll(senders.Select(async s =>
        {
            for (var k = 0; k < perSender; k++) await s.SendAsync(bob.UserId, body);
        }));
        var total = senders.Count * perSender;

        // The fast device got every message live and is still open.
        var fastSeqs = new HashSet<long>();
        while (fastSeqs.Count < total) fastSeqs.Add((long)(await fast.WaitForTypeAsync("message"))["message"]!["seq"]!);
        await fast.SendJsonAsync(new { type = "ping" });
        await fast.WaitForTypeAsync("pong");

        // The slow device reads on through what reached it, then the close.
        var (slowSeqs, status) = await slowReading;
        output.WriteLine($"{total} messages; the slow device got {slowSeqs.Count} before its close ({status})");
        Assert.Equal((WebSocketCloseStatus)1013, status);
        Assert.True(slowSeqs.Count < total, "the slow device received everything: the test did not overflow it");

        // It reconnects and syncs from the last seq it holds: exactly the rest, each once, in inbox order.
        var last = slowSeqs.Count == 0 ? 0 : slowSeqs.Max();
        Assert.Equal(Enumerable.Range(1, (int)last).Select(x => (long)x), slowSeqs);
        await using var again = await ChatSocket.ConnectAsync(bob);
        await again.SendJsonAsync(new { type = "sync", after = last });
        var synced = await again.WaitForTypeAsync("synced", TimeSpan.FromSeconds(60));
        var rest = again.Skipped.Where(f => (string?)f["type"] == "message").Select(f => (long)f["message"]!["seq"]!).ToList();
        Assert.Equal(Enumerable.Range((int)last + 1, total - (int)last).Select(x => (long)x), rest);
        Assert.Equal(total, (long)synced["seq"]!);
        foreach (var s in senders) s.Dispose();
    }

    private static Uri SocketUri(Uri baseUrl, string token) =>
        new($"ws://{baseUrl.Authority}/ws?access_token={Uri.EscapeDataString(token)}");

    /// <summary>A WebSocket whose TCP receive buffer is 4 KB (the window stays small: the sender fills it fast).</summary>
    private static async Task<ClientWebSocket> ConnectWithSmallReceiveWindowAsync(Uri baseUrl, string token)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096, NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var client = new ClientWebSocket();
        await client.ConnectAsync(SocketUri(baseUrl, token), new HttpMessageInvoker(handler), CancellationToken.None);
        return client;
    }

    /// <summary>
    /// A slow device: reads one frame every 50 ms until the server's close frame (or the connection drops); returns the
    /// seqs of the messages it got, and the close status (null when the connection dropped without a close frame).
    /// </summary>
    private static async Task<(List<long> Seqs, WebSocketCloseStatus? Status)> ReadUntilClosedAsync(ClientWebSocket socket, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var seqs = new List<long>();
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, cts.Token);
                    if (result.MessageType == WebSocketMessageType.Close) return (seqs, result.CloseStatus);
                    message.Write(buffer, 0, result.Count);
                } while (!result.EndOfMessage);
                var frame = JsonNode.Parse(message.ToArray())!;
                if ((string?)frame["type"] == "message") seqs.Add((long)frame["message"]!["seq"]!);
                await Task.Delay(50, cts.Token); // the device's own pace: it is slow, not waiting for anything
            }
        }
        catch (WebSocketException)
        {
            return (seqs, socket.CloseStatus); // dropped without a close frame: status stays null
        }
    }
}
