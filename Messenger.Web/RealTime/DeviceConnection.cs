using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Util;
using Messenger.Messages.Chat;
using Messenger.Messages.Devices;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;
using Messenger.Web.Api;

namespace Messenger.Web.RealTime;

/// <summary>
/// Bridges one WebSocket to the user's inbox through one Akka.Streams graph:
/// <code>
///   socket frames ─ parse ─ MergeMany(16, command → answers) ─┐
///                                                            ├─ merge ─ once-per-seq ─ write socket
///   inbox pushes (Source.ActorRef, 1,024 frames) ────────────┘
/// </code>
/// Overflow policy: a device that cannot keep up with 1,024 pushed frames is disconnected (close 1013) rather than
/// silently skipped; it reconnects and syncs from the last seq it holds, so nothing is lost and nothing is stale.
/// </summary>
public sealed class DeviceConnection
{
    public const int LiveBuffer = 1024;
    private const int ConcurrentCommands = 16;
    private const int SyncPage = 500;
    private static readonly TimeSpan ReattachEvery = TimeSpan.FromSeconds(10);

    private readonly string _userId;
    private readonly IActorRef _inboxes;
    private readonly SendRateLimiter _limiter;
    private readonly EdgeTimeouts _timeouts;
    private readonly IMaterializer _materializer;
    private readonly SendAdmission _admission;

    public DeviceConnection(string userId, IActorRef inboxes, SendRateLimiter limiter, EdgeTimeouts timeouts, IMaterializer materializer,
        SendAdmission admission)
    {
        _admission = admission;
        _userId = userId;
        _inboxes = inboxes;
        _limiter = limiter;
        _timeouts = timeouts;
        _materializer = materializer;
    }

    /// <summary>Attaches a device to the inbox (before the upgrade is accepted, so it counts as connected from then on).</summary>
    public async Task<(IActorRef Device, Source<object, NotUsed> Pushes)?> AttachAsync(CancellationToken ct)
    {
        var (device, pushes) = Source.ActorRef<object>(LiveBuffer, OverflowStrategy.Fail).PreMaterialize(_materializer);
        try
        {
            await _inboxes.Ask<UserReplies.DeviceAttached>(new UserCommands.AttachDevice(_userId, device), _timeouts.Query, ct);
            return (device, pushes);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException or OperationCanceledException)
        {
            device.Tell(PoisonPill.Instance);
            return null;
        }
    }

    public async Task RunAsync(WebSocket socket, IActorRef device, Source<object, NotUsed> pushes, CancellationToken ct)
    {
        var sent = new SentSeqs();
        var buffer = new ArrayBufferWriter<byte>(1024);
        var closeStatus = WebSocketCloseStatus.NormalClosure;
        var closeReason = "bye";

        var commands = Source.From(() => ReadFrames(socket, ct))
            .MergeMany(ConcurrentCommands, Answer);
        var live = pushes.Collect(p => p is DeviceFrames.Deliver d ? (ServerFrame)new MessageFrame(d.Message) : null!);

        // The inbox answers DeviceAttached to the device itself, where the stream ignores it.
        using var reattach = new Timer(_ => _inboxes.Tell(new UserCommands.AttachDevice(_userId, device), device), null, ReattachEvery, ReattachEvery);
        try
        {
            await commands
                .Merge(live, eagerComplete: true)
                .Where(frame => frame.Seq is not { } seq || sent.TryMark(seq))
                .SelectAsync(1, async frame =>
                {
                    await socket.SendAsync(frame.ToUtf8(buffer), WebSocketMessageType.Text, true, ct);
                    return NotUsed.Instance;
                })
                .RunWith(Sink.Ignore<NotUsed>(), _materializer);
        }
        catch (FrameTooLargeException)
        {
            (closeStatus, closeReason) = (WebSocketCloseStatus.MessageTooBig, "frame over 32 KiB");
        }
        catch (BufferOverflowException)
        {
            (closeStatus, closeReason) = ((WebSocketCloseStatus)1013, "too slow: reconnect and sync");
        }
        catch (Exception) when (socket.State != WebSocketState.Open || ct.IsCancellationRequested)
        {
            // The client went away: nothing to tell it.
        }
        finally
        {
            device.Tell(PoisonPill.Instance);
            _inboxes.Tell(new UserCommands.DetachDevice(_userId, device));
        }
        await CloseQuietly(socket, closeStatus, closeReason);
    }

    private Source<ServerFrame, NotUsed> Answer(ClientFrame frame) => frame.Type switch
    {
        "ping" => Source.Single<ServerFrame>(PongFrame.Instance),
        "send" => Source.FromTask(SendAsync(frame)),
        "read" => Source.FromTask(ReadAsync(frame)),
        "sync" => frame.After is >= 0 ? Sync(frame.After.Value) : Invalid("sync needs after ≥ 0"),
        _ => Invalid(frame.Error ?? "frame not understood"),
    };

    private static Source<ServerFrame, NotUsed> Invalid(string why) =>
        Source.Single<ServerFrame>(new ErrorFrame(ErrorCodes.InvalidRequest, why));

    private async Task<ServerFrame> SendAsync(ClientFrame frame)
    {
        var (send, code, message) = SendValidation.Validate(_userId, frame.ClientMessageId, frame.To, frame.Body);
        if (send is null) return new ErrorFrame(code!, message!, frame.ClientMessageId);
        if (!_limiter.TryAcquire(_userId))
            return new ErrorFrame(ErrorCodes.RateLimited, "too many messages; slow down", frame.ClientMessageId);
        var answer = await EdgeSend.AskAsync(_inboxes,
            new UserCommands.SendMessage(_userId, send.Value.ClientMessageId, send.Value.To, send.Value.Body), _timeouts.Send,
            _admission, CancellationToken.None);
        return answer switch
        {
            UserReplies.MessageSent sent => new SentFrame(sent.Message),
            UserReplies.Rejected r => new ErrorFrame(r.Code, r.Reason, frame.ClientMessageId),
            _ => Unavailable(frame.ClientMessageId),
        };
    }

    private static ErrorFrame Unavailable(string? clientMessageId) =>
        new(ErrorCodes.Unavailable, "the message is not durable yet; retry with the same clientMessageId", clientMessageId);

    private async Task<ServerFrame> ReadAsync(ClientFrame frame)
    {
        if (frame.ConversationId is null || !ConversationId.IsWellFormed(frame.ConversationId))
            return new ErrorFrame(ErrorCodes.NotFound, "no such conversation");
        if (ConversationId.PeerOf(frame.ConversationId, _userId) is null)
            return new ErrorFrame(ErrorCodes.Forbidden, "you are not in this conversation");
        if (!ConversationOrder.IsValid(frame.UpTo))
            return new ErrorFrame(ErrorCodes.InvalidRequest, "upTo must be an order from a message");
        try
        {
            var answer = await _inboxes.Ask<object>(new UserCommands.MarkRead(_userId, frame.ConversationId, frame.UpTo!), _timeouts.Query);
            return answer switch
            {
                UserReplies.ReadMarked r => new ReadFrame(r.ConversationId, r.UpTo),
                UserReplies.Rejected r => new ErrorFrame(r.Code, r.Reason),
                _ => new ErrorFrame(ErrorCodes.Unavailable, "could not mark read"),
            };
        }
        catch (AskTimeoutException)
        {
            return new ErrorFrame(ErrorCodes.Unavailable, "could not mark read");
        }
    }

    /// <summary>Pages the inbox after <paramref name="after"/> until caught up, then says <c>synced</c>.</summary>
    private Source<ServerFrame, NotUsed> Sync(long after) =>
        Source.UnfoldAsync<(long After, bool Done), IReadOnlyList<ServerFrame>>((after, false), async state =>
            {
                if (state.Done) return Option<((long, bool), IReadOnlyList<ServerFrame>)>.None;
                object answer;
                try
                {
                    answer = await _inboxes.Ask<object>(new UserQueries.GetInboxAfter(_userId, state.After, SyncPage), _timeouts.Query);
                }
                catch (AskTimeoutException)
                {
                    answer = null!;
                }
                if (answer is not UserReplies.InboxPage page)
                {
                    var error = new ErrorFrame(ErrorCodes.Unavailable, "sync could not finish; send sync again");
                    return ((state.After, true), new ServerFrame[] { error });
                }
                var frames = new List<ServerFrame>(page.Messages.Count + 1);
                frames.AddRange(page.Messages.Select(m => new MessageFrame(m)));
                var done = page.Messages.Count < SyncPage;
                if (done) frames.Add(new SyncedFrame(page.NextAfter));
                return ((page.NextAfter, done), frames);
            })
            .SelectMany(frames => frames);

    /// <summary>Reads whole text frames. Waits with a zero-byte read so an idle connection holds no receive buffer.</summary>
    private static async IAsyncEnumerable<ClientFrame> ReadFrames(WebSocket socket, [EnumeratorCancellation] CancellationToken ct)
    {
        while (socket.State == WebSocketState.Open && !ct.IsCancellationRequested)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(Memory<byte>.Empty, ct);
            }
            catch (Exception) when (socket.State != WebSocketState.Open || ct.IsCancellationRequested)
            {
                yield break;
            }
            catch (WebSocketException)
            {
                yield break;
            }
            if (result.MessageType == WebSocketMessageType.Close) yield break;
            if (result.EndOfMessage)
            {
                // An empty frame: nothing more to read for it.
                yield return result.MessageType == WebSocketMessageType.Text
                    ? ClientFrame.Parse(ReadOnlySpan<byte>.Empty)
                    : ClientFrame.Parse(ReadOnlySpan<byte>.Empty) with { Error = "frames must be text" };
                continue;
            }

            var rented = ArrayPool<byte>.Shared.Rent(Limits.MaxFrameBytes + 1);
            var length = 0;
            WebSocketMessageType type;
            try
            {
                while (true)
                {
                    if (length > Limits.MaxFrameBytes) throw new FrameTooLargeException();
                    var part = await socket.ReceiveAsync(rented.AsMemory(length, rented.Length - length), ct);
                    if (part.MessageType == WebSocketMessageType.Close) yield break;
                    length += part.Count;
                    type = part.MessageType;
                    if (part.EndOfMessage) break;
                }
                if (length > Limits.MaxFrameBytes) throw new FrameTooLargeException();
                var frame = type == WebSocketMessageType.Text
                    ? ClientFrame.Parse(rented.AsSpan(0, length))
                    : ClientFrame.Parse(ReadOnlySpan<byte>.Empty) with { Error = "frames must be text" };
                yield return frame;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static async Task CloseQuietly(WebSocket socket, WebSocketCloseStatus status, string reason)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(status, reason, timeout.Token);
            }
        }
        catch (Exception)
        {
            // Best effort: the peer may be gone already.
        }
    }

    private sealed class FrameTooLargeException() : Exception("frame over 32 KiB");
}
