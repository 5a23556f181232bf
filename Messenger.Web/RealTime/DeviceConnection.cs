using System.Net.WebSockets;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Messenger.Web.Api;

namespace Messenger.Web.RealTime;

/// <summary>
/// One WebSocket, bridged to the user's inbox through one materialised graph:
/// <code>
///   socket frames ─ parse ─ DeviceStage (commands, inbox pushes, seq filter, re-attach) ─ batches ─ write socket
/// </code>
/// The graph runs before the upgrade is accepted: the device is attached, so it counts as connected from then on.
/// Overflow policy: a device more than <see cref="DeviceStage.LiveBuffer"/> pushes behind is disconnected (1013) rather
/// than silently skipped; it reconnects and syncs from the last seq it holds, so nothing is lost and nothing is stale.
/// </summary>
public sealed class DeviceConnection
{
    private readonly TaskCompletionSource<WebSocket> _socket = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task<long> _attached;
    private readonly Task _done;

    public DeviceConnection(string userId, InboxGateway gateway, LiveDevices live, IMaterializer materializer, CancellationToken ct)
    {
        var writer = new FrameWriter();
        var socket = _socket.Task;
        (_attached, _done) = Source.From(() => SocketReader.ReadFrames(socket, ct))
            .ViaMaterialized(new DeviceStage(userId, gateway, live), Keep.Right)
            .SelectAsync(1, async batch =>
            {
                await writer.WriteAsync(await socket, batch, ct);
                return NotUsed.Instance;
            })
            .ToMaterialized(Sink.Ignore<NotUsed>(), Keep.Both)
            .Run(materializer);
    }

    /// <summary>True once the inbox answered the first attach within <paramref name="timeout"/>; otherwise stops.</summary>
    public async Task<bool> AttachedAsync(TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await _attached.WaitAsync(timeout, ct);
            return true;
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // No socket will come: the graph stops, and the device detaches.
            _socket.TrySetCanceled();
            _ = _done.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            return false;
        }
    }

    public async Task RunAsync(WebSocket socket)
    {
        _socket.TrySetResult(socket);
        var (status, reason) = (WebSocketCloseStatus.NormalClosure, "bye");
        try
        {
            await _done;
        }
        catch (FrameTooLargeException)
        {
            (status, reason) = (WebSocketCloseStatus.MessageTooBig, "frame over 32 KiB");
        }
        catch (BufferOverflowException)
        {
            (status, reason) = ((WebSocketCloseStatus)1013, "too slow: reconnect and sync");
        }
        catch (Exception) when (socket.State != WebSocketState.Open)
        {
            // The client went away: nothing to tell it.
        }
        await SocketClosing.CloseAsync(socket, status, reason);
    }
}
