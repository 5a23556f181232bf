using System.Net.WebSockets;

namespace Messenger.Bench;

/// <summary>
/// The WebSocket of a group or receipts device: connect with the user's token, one send at a time, the shared
/// receive loop, and a polite close. <see cref="Closed"/> fires once the socket is unusable (closed, died, or a
/// send failed).
/// </summary>
public sealed class DeviceSocket
{
    private readonly ClientWebSocket _ws = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1); // one SendAsync at a time on a ClientWebSocket
    private readonly CancellationTokenSource _closed = new();
    private Task _receiveLoop = Task.CompletedTask;

    public bool IsOpen => _ws.State == WebSocketState.Open && !_closed.IsCancellationRequested;
    public CancellationToken Closed => _closed.Token;

    public async Task<bool> ConnectAsync(Uri wsBase, string token, TextFrameHandler handle, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        try
        {
            await _ws.ConnectAsync(new Uri(wsBase, "ws?access_token=" + Uri.EscapeDataString(token)), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or HttpRequestException)
        {
            return false;
        }
        _receiveLoop = Task.Run(() => ReceiveLoopAsync(handle));
        return true;
    }

    /// <summary>False when the socket is unusable (and <see cref="Closed"/> has fired).</summary>
    public async Task<bool> SendTextAsync(byte[] utf8)
    {
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            // No cancellation token: cancelling a ClientWebSocket send aborts the socket.
            await _ws.SendAsync(utf8, WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            _closed.Cancel();
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync(TextFrameHandler handle)
    {
        // A close or a dead socket both end here; the run sees it through IsOpen and the sends it never completes.
        try
        {
            await SocketFrameReader.ReadFramesAsync(_ws, handle).ConfigureAwait(false);
        }
        finally
        {
            _closed.Cancel();
        }
    }

    public async Task CloseAsync(CancellationToken deadline)
    {
        try
        {
            if (_ws.State == WebSocketState.Open)
                await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bench done", deadline).ConfigureAwait(false);
            await _receiveLoop.WaitAsync(deadline).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Deadline passed or the socket already broke: abort below.
        }
        finally
        {
            _ws.Abort();
            _ws.Dispose();
        }
    }
}
