using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Messenger.Tests.Infrastructure;

/// <summary>A real WebSocket device of one user: frames in, frames out, with waits bounded by a generous timeout.</summary>
public sealed class ChatSocket : IAsyncDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(20);

    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonObject> _frames = Channel.CreateUnbounded<JsonObject>();
    private readonly Task _reader;
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    private ChatSocket(ClientWebSocket socket)
    {
        _socket = socket;
        _reader = Task.Run(ReadLoop);
    }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>Why reading stopped when it was not a close frame (an aborted connection), for diagnostics.</summary>
    public WebSocketException? ReadFailure { get; private set; }
    public WebSocketState State => _socket.State;

    public static async Task<ChatSocket> ConnectAsync(Uri baseUrl, string token)
    {
        var socket = new ClientWebSocket();
        var uri = new Uri($"ws://{baseUrl.Authority}/ws?access_token={Uri.EscapeDataString(token)}");
        await socket.ConnectAsync(uri, CancellationToken.None);
        return new ChatSocket(socket);
    }

    public static Task<ChatSocket> ConnectAsync(ChatClient client) => ConnectAsync(client.BaseUrl, client.Token);

    public Task SendJsonAsync(object frame) => SendTextAsync(JsonSerializer.Serialize(frame));

    public async Task SendTextAsync(string text)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Text)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, type, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public Task SendMessageAsync(string to, string body, Guid clientMessageId) =>
        SendJsonAsync(new { type = "send", clientMessageId, to, body });

    /// <summary>The next frame matching <paramref name="match"/>; frames that don't match are kept in <see cref="Skipped"/>.</summary>
    public async Task<JsonObject> WaitForAsync(Func<JsonObject, bool> match, TimeSpan? timeout = null)
    {
        var earlier = Skipped.FindIndex(f => match(f));
        if (earlier >= 0)
        {
            var found = Skipped[earlier];
            Skipped.RemoveAt(earlier);
            return found;
        }
        using var cts = new CancellationTokenSource(timeout ?? DefaultWait);
        try
        {
            while (true)
            {
                var frame = await _frames.Reader.ReadAsync(cts.Token);
                if (match(frame)) return frame;
                Skipped.Add(frame);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no matching frame; skipped: {string.Join("\n", Skipped.Select(f => f.ToJsonString()))}");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"socket closed ({CloseStatus}); skipped: {string.Join("\n", Skipped.Select(f => f.ToJsonString()))}");
        }
    }

    public List<JsonObject> Skipped { get; } = new();

    public Task<JsonObject> WaitForTypeAsync(string type, TimeSpan? timeout = null) =>
        WaitForAsync(f => (string?)f["type"] == type, timeout);

    public Task<JsonObject> WaitForSentAsync(Guid clientMessageId) =>
        WaitForAsync(f => (string?)f["type"] is "sent" or "error" && (string?)f["clientMessageId"] == clientMessageId.ToString());

    public Task<JsonObject> WaitForMessageAsync(Guid clientMessageId) =>
        WaitForAsync(f => (string?)f["type"] == "message" && (string?)f["message"]!["clientMessageId"] == clientMessageId.ToString());

    /// <summary>Collects frames until none arrives for <paramref name="quiet"/>.</summary>
    public async Task<List<JsonObject>> DrainAsync(TimeSpan quiet)
    {
        var all = new List<JsonObject>(Skipped);
        Skipped.Clear();
        while (true)
        {
            using var cts = new CancellationTokenSource(quiet);
            try
            {
                all.Add(await _frames.Reader.ReadAsync(cts.Token));
            }
            catch (OperationCanceledException)
            {
                return all;
            }
            catch (ChannelClosedException)
            {
                return all;
            }
        }
    }

    /// <summary>Waits until the server closes the socket.</summary>
    public async Task WaitClosedAsync(TimeSpan? timeout = null) =>
        await _reader.WaitAsync(timeout ?? DefaultWait);

    private async Task ReadLoop()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close) return;
                    message.Write(buffer, 0, result.Count);
                } while (!result.EndOfMessage);
                if (JsonNode.Parse(message.ToArray()) is JsonObject frame) await _frames.Writer.WriteAsync(frame);
            }
        }
        catch (WebSocketException e)
        {
            ReadFailure = e;
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    /// <summary>Drops the TCP connection without a close handshake, like a phone losing its network.</summary>
    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
            }
        }
        catch (Exception)
        {
        }
        _socket.Dispose();
        try
        {
            await _reader.WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception)
        {
        }
    }
}
