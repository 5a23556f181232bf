using System.Net.WebSockets;
using System.Threading.Channels;
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
/// Overflow policy: a device more than <see cref="BridgeSettings.PushBuffer"/> pushes behind is disconnected (1013) rather
/// than silently skipped; it reconnects and syncs from the last seq it holds, so nothing is lost and nothing is stale.
/// </summary>
public sealed class DeviceConnection
{
    private static readonly TimeSpan SlowClosePatience = TimeSpan.FromSeconds(30);

    private readonly TaskCompletionSource<(WebSocket Socket, CoalescedWrites? Writes)> _socket =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<ClientFrame> _frames = Channel.CreateBounded<ClientFrame>(
        new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _graphGone = new();
    private readonly CancellationTokenRegistration _stopping;
    private readonly CancellationToken _ct;
    private readonly Task<long> _attached;
    private readonly Task _done;

    public DeviceConnection(string userId, InboxGateway gateway, LiveDevices live, BridgeSettings settings, IMaterializer materializer,
        CancellationToken ct)
    {
        var writer = new FrameWriter();
        var socket = _socket.Task;
        (_attached, _done) = Source.From(() => _frames.Reader.ReadAllAsync())
            .ViaMaterialized(new DeviceStage(userId, gateway, live, settings.PushBuffer), Keep.Right)
            .SelectAsync(1, async batch =>
            {
                // Never cancelled: cancelling a WebSocket send aborts the connection.
                var (open, writes) = await socket;
                await writer.WriteAsync(open, batch, CancellationToken.None, writes);
                return NotUsed.Instance;
            })
            .ToMaterialized(Sink.Ignore<NotUsed>(), Keep.Both)
            .Run(materializer);
        // The node is stopping (or the client is gone): end the graph, then close with "going away".
        _stopping = ct.Register(() => _frames.Writer.TryComplete());
        _ct = ct;
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
            Abandon();
            return false;
        }
    }

    /// <summary>No socket will come: the graph stops, and the device detaches.</summary>
    public void Abandon()
    {
        _socket.TrySetCanceled();
        _frames.Writer.TryComplete();
        _ = _done.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
    }

    public async Task RunAsync(WebSocket socket, ClientFrameKinds kinds, CoalescedWrites? writes = null)
    {
        _socket.TrySetResult((socket, writes));
        var reader = SocketReader.ReadAsync(socket, kinds, _frames.Writer, _graphGone.Token);
        var (status, reason, patience) = (WebSocketCloseStatus.NormalClosure, "bye", SocketClosing.Patience);
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
            (status, reason, patience) = ((WebSocketCloseStatus)1013, "too slow: reconnect and sync", SlowClosePatience);
        }
        catch (Exception) when (socket.State != WebSocketState.Open)
        {
            // The client went away: nothing to tell it.
        }
        catch (Exception)
        {
            (status, reason) = (WebSocketCloseStatus.InternalServerError, "the connection failed; reconnect and sync");
        }
        finally
        {
            _graphGone.Cancel();
        }
        if (_ct.IsCancellationRequested && status == WebSocketCloseStatus.NormalClosure)
            (status, reason) = (WebSocketCloseStatus.EndpointUnavailable, "the server is going away; reconnect and sync");
        await SocketClosing.CloseAsync(socket, reader, status, reason, patience, _ct);
        await _stopping.DisposeAsync();
        _graphGone.Dispose();
    }
}

/// <summary>
/// The bridge's configuration (<c>Messenger:WebSocket</c>): <see cref="PushBuffer"/> is how many live pushes a device
/// may be behind before it is closed with 1013; memory per slow device against tolerance of a slow network.
/// </summary>
public sealed record BridgeSettings(int PushBuffer = DeviceStage.DefaultPushBuffer);
