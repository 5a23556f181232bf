using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Streams;
using Akka.Streams.Stage;
using Messenger.Messages.Chat;
using Messenger.Messages.Devices;
using Messenger.Messages.Users;
using Messenger.Web.Api;

namespace Messenger.Web.RealTime;

/// <summary>
/// The heart of one WebSocket connection, as one graph stage: client frames in, batches of server frames out.
/// Its stage actor is the device the inbox pushes to. It answers commands (at most 16 at a time, through the
/// <see cref="InboxGateway"/>), keeps every seq once, and keeps the device attached to whichever inbox incarnation is
/// live: on <see cref="DeviceFrames.InboxStopped"/>, on the death of the incarnation it attached to, on a cluster
/// member's loss (<see cref="LiveDevices"/>) it attaches again with backoff until answered, and when an answer shows
/// messages this connection has not delivered it syncs them internally.
/// Materialises the inbox position at the first attach (the device counts as connected from then on).
/// </summary>
public sealed class DeviceStage(string userId, InboxGateway gateway, LiveDevices live, int pushBuffer = DeviceStage.DefaultPushBuffer)
    : GraphStageWithMaterializedValue<FlowShape<ClientFrame, IReadOnlyList<ServerFrame>>, Task<long>>
{
    /// <summary>Live pushes a device may be behind before it is disconnected (1013) to reconnect and sync.</summary>
    public const int DefaultPushBuffer = 1024;

    private readonly string _userId = userId;
    private readonly InboxGateway _gateway = gateway;
    private readonly LiveDevices _live = live;
    private readonly int _pushBuffer = pushBuffer;
    private readonly Inlet<ClientFrame> _in = new("device.frames");
    private readonly Outlet<IReadOnlyList<ServerFrame>> _out = new("device.batches");

    public override FlowShape<ClientFrame, IReadOnlyList<ServerFrame>> Shape => new(_in, _out);

    public override ILogicAndMaterializedValue<Task<long>> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var attached = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        return new LogicAndMaterializedValue<Task<long>>(new Logic(this, attached), attached.Task);
    }

    private sealed class Logic : TimerGraphStageLogic
    {
        private const int ConcurrentCommands = 16;
        private const int SyncPage = 500;
        private const string ReattachTimer = "reattach";
        private const string RestTimer = "rest";
        private const string WatchSettleTimer = "watch-settle";
        private static readonly TimeSpan FirstRest = TimeSpan.FromMilliseconds(50);
        // A resting connection's frames wait in its socket, which is queueing its client sees: rests stop growing at
        // 250 ms. Growing them to the 1 s Retry-After cut refusals under overload further (16 in flight: 8,700-10,600
        // acks/s against 4,700-6,500) but frames waited seconds (open loop at 2x capacity: p99 4.8 s against 1.2 s).
        private static readonly TimeSpan LongestRest = TimeSpan.FromMilliseconds(250);
        private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(200);
        private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(5);

        private readonly DeviceStage _stage;
        private readonly TaskCompletionSource<long> _attached;
        private readonly OutgoingFrames _out = new();
        private readonly Queue<SyncRun> _parked = new();
        private StageActor _actor = null!;
        private TypingRelay _typing = null!;
        private WatchSession _watch = null!;
        private IActorRef? _inbox;
        private bool _reattaching;
        private int _attempt;
        private int _inFlight;
        private bool _resting;
        private int _refusedInARow;
        private long _lastRefusalMs;
        private long _lastRetryAfterMs;
        private SyncRun? _catchUp;
        private bool _catchUpAgain;
        private Action<(ClientFrame Frame, ServerFrame? Answer)> _answered = null!;
        private Action<(SyncRun Run, EdgeAnswer<UserReplies.InboxPage> Page)> _paged = null!;

        public Logic(DeviceStage stage, TaskCompletionSource<long> attached) : base(stage.Shape)
        {
            _stage = stage;
            _attached = attached;
            SetHandler(stage._in, onPush: OnFrame, onUpstreamFinish: CompleteStage, onUpstreamFailure: FailStage);
            SetHandler(stage._out, onPull: Emit, onDownstreamFinish: _ => CompleteStage());
        }

        public override void PreStart()
        {
            _actor = GetStageActor(OnMessage);
            _typing = new TypingRelay(_stage._userId, _stage._gateway, _actor.Ref);
            _watch = new WatchSession(_stage._userId, _stage._gateway, _actor.Ref,
                DistributedPubSub.Get(((ActorMaterializer)Materializer).System).Mediator,
                delay => ScheduleOnce(WatchSettleTimer, delay));
            _answered = GetAsyncCallback<(ClientFrame Frame, ServerFrame? Answer)>(a => Answered(a.Answer));
            _paged = GetAsyncCallback<(SyncRun Run, EdgeAnswer<UserReplies.InboxPage> Page)>(p => Paged(p.Run, p.Page));
            _stage._live.Add(_actor.Ref);
            StartReattach();
            Pull(_stage._in);
        }

        public override void PostStop()
        {
            _attached.TrySetCanceled();
            _stage._live.Remove(_actor.Ref);
            _ = _stage._gateway.DetachAsync(_stage._userId, _actor.Ref);
        }

        // ---- the device: pushes and attach answers from the inbox, nudges from LiveDevices ----

        private void OnMessage((IActorRef Sender, object Message) envelope)
        {
            switch (envelope.Message)
            {
                case DeviceFrames.Deliver deliver:
                    if (_out.LiveWaiting >= _stage._pushBuffer)
                    {
                        FailStage(new BufferOverflowException($"the device fell more than {_stage._pushBuffer} pushes behind"));
                        return;
                    }
                    Enqueue(new MessageFrame(deliver.Message, Live: true));
                    break;
                case DeviceReceipt receipt:
                    Enqueue(new ReceiptFrame(receipt));
                    break;
                case UserReplies.DeviceAttached attached:
                    Attached(envelope.Sender, attached.Seq);
                    break;
                case DeviceFrames.InboxStopped:
                    StartReattach();
                    break;
                case Terminated terminated when Equals(terminated.ActorRef, _inbox):
                    _inbox = null;
                    StartReattach();
                    break;
                case LiveDevices.MemberLost:
                    StartReattach();
                    _watch.Refresh();
                    break;
                case LiveDevices.Check:
                    // The slow safety net: the answer shows whether anything was missed.
                    Attach();
                    break;
                case TypingFrames.PeerTyping typing:
                    Enqueue(new TypingFrame(typing.ConversationId, typing.UserId));
                    break;
                case PresenceReplies.TypingRefused refused:
                    Enqueue(new ErrorFrame(refused.Code, refused.Reason));
                    break;
                default:
                    if (_watch.Observe(envelope.Message, out var presence) && presence is not null) Enqueue(presence);
                    break;
            }
        }

        private void Attached(IActorRef inbox, long seq)
        {
            _reattaching = false;
            CancelTimer(ReattachTimer);
            if (!Equals(inbox, _inbox) && !inbox.IsNobody())
            {
                if (_inbox is not null) _actor.Unwatch(_inbox);
                _inbox = inbox;
                _actor.Watch(inbox);
            }
            if (!_out.Delivered.Started)
            {
                _out.Delivered.StartAt(seq);
                _attached.TrySetResult(seq);
                return;
            }
            if (seq > _out.Delivered.UpTo) CatchUp();
        }

        private void StartReattach()
        {
            if (_reattaching) return;
            _reattaching = true;
            _attempt = 0;
            Attach();
            ScheduleOnce(ReattachTimer, FirstRetry);
        }

        protected override void OnTimer(object timerKey)
        {
            if (WatchSettleTimer.Equals(timerKey))
            {
                _watch.Settled();
                return;
            }
            if (RestTimer.Equals(timerKey))
            {
                _resting = false;
                PullIfReady();
                return;
            }
            if (!_reattaching) return;
            _attempt++;
            Attach();
            var backoff = TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, FirstRetry.Ticks << Math.Min(_attempt, 5)));
            ScheduleOnce(ReattachTimer, backoff);
        }

        private void Attach() => _ = _stage._gateway.AttachAsync(_stage._userId, _actor.Ref, CancellationToken.None);

        // ---- client frames ----

        private void OnFrame()
        {
            var frame = Grab(_stage._in);
            switch (frame.Type)
            {
                case "ping":
                    Enqueue(PongFrame.Instance);
                    break;
                case "send":
                    _inFlight++;
                    Answer(frame, Send(frame));
                    break;
                case "read":
                    _inFlight++;
                    Answer(frame, Read(frame));
                    break;
                case "received":
                    _inFlight++;
                    Answer(frame, ReceiptAnswers.ReceivedAsync(_stage._gateway, _stage._userId, frame.UpToSeq));
                    break;
                case "sync" when frame.After is >= 0:
                    _inFlight++;
                    Page(new SyncRun(frame.After.Value, ForClient: true));
                    break;
                case "sync":
                    Enqueue(new ErrorFrame(ErrorCodes.InvalidRequest, "sync needs after ≥ 0"));
                    break;
                case "typing":
                    if (_typing.Accept(frame, Environment.TickCount64) is { } typingRefused) Enqueue(typingRefused);
                    break;
                case "watch":
                    if (_watch.Replace(frame) is { } watchRefused) Enqueue(watchRefused);
                    break;
                default:
                    Enqueue(new ErrorFrame(ErrorCodes.InvalidRequest, frame.Error ?? "frame not understood", frame.ClientMessageId));
                    break;
            }
            PullIfReady();
        }

        private async Task<ServerFrame?> Send(ClientFrame frame)
        {
            var answer = await _stage._gateway.SendAsync(_stage._userId, frame.ClientMessageId, frame.To, frame.Body, CancellationToken.None,
                frame.Attachments);
            return answer.Value is { } sent
                ? new SentFrame(sent)
                : new ErrorFrame(answer.Error!.Code, answer.Error.Message, frame.ClientMessageId, answer.Error.RetryAfter);
        }

        private async Task<ServerFrame?> Read(ClientFrame frame)
        {
            var answer = await _stage._gateway.MarkReadAsync(_stage._userId, frame.ConversationId, frame.UpTo, CancellationToken.None);
            return answer.Value is { } read
                ? new ReadFrame(read.ConversationId, read.UpTo)
                : new ErrorFrame(answer.Error!.Code, answer.Error.Message);
        }

        private void Answer(ClientFrame frame, Task<ServerFrame?> work) =>
            work.ContinueWith(t => _answered((frame, t.IsCompletedSuccessfully
                    ? t.Result
                    : new ErrorFrame(ErrorCodes.Unavailable, "the messenger could not answer; retry", frame.ClientMessageId))),
                TaskContinuationOptions.ExecuteSynchronously);

        /// <summary>A null answer sends nothing (a received is answered by receipt frames, if any marker moved).</summary>
        private void Answered(ServerFrame? answer)
        {
            _inFlight--;
            if (answer is not null) Enqueue(answer);
            // Answers to sends admitted before a refusal arrive up to a Retry-After later: only an acknowledgement with
            // no refusal for that long ends the run of refusals (resetting on any acknowledgement kept the backoff at
            // its first 50 ms under overload, twenty refusals a second per connection).
            if (answer is SentFrame && Environment.TickCount64 - _lastRefusalMs > _lastRetryAfterMs) _refusedInARow = 0;
            else if (answer is ErrorFrame { Code: ErrorCodes.Unavailable, RetryAfter: { } retryAfter } && !_resting)
            {
                // The node refused a send as busy: the connection's next frames wait in the socket for a backoff that
                // doubles with each refusal in a row up to 250 ms (or the Retry-After, if shorter), so a client that resends at
                // once cannot spin the node's (and its own) CPU on refusals, while an occasional refusal costs little
                // latency. The refusal itself goes out at once; answers to admitted commands keep flowing.
                var rest = TimeSpan.FromTicks(Math.Min(Math.Min(retryAfter.Ticks, LongestRest.Ticks), FirstRest.Ticks << Math.Min(_refusedInARow, 8)));
                _refusedInARow++;
                _lastRefusalMs = Environment.TickCount64;
                _lastRetryAfterMs = (long)retryAfter.TotalMilliseconds;
                _resting = true;
                ScheduleOnce(RestTimer, rest);
            }
            PullIfReady();
        }

        private void PullIfReady()
        {
            if (!_resting && _inFlight < ConcurrentCommands && _out.Count < _stage._pushBuffer && !HasBeenPulled(_stage._in) && !IsClosed(_stage._in))
                Pull(_stage._in);
        }

        // ---- syncs: the client's (ends with "synced") and the bridge's own catch-up ----

        private sealed record SyncRun(long After, bool ForClient);

        private void CatchUp()
        {
            if (_catchUp is not null)
            {
                _catchUpAgain = true;
                return;
            }
            _catchUp = new SyncRun(_out.Delivered.UpTo, ForClient: false);
            Page(_catchUp);
        }

        private void Page(SyncRun run)
        {
            if (_out.Count >= SyncPage)
            {
                // Pages wait for the socket: a long sync never holds more than a page or two in memory.
                _parked.Enqueue(run);
                return;
            }
            _stage._gateway.InboxAfterAsync(_stage._userId, run.After, SyncPage, CancellationToken.None)
                .ContinueWith(t => _paged((run, t.IsCompletedSuccessfully
                        ? t.Result
                        : new EdgeError(ErrorCodes.Unavailable, "sync could not finish; send sync again"))),
                    TaskContinuationOptions.ExecuteSynchronously);
        }

        private void Paged(SyncRun run, EdgeAnswer<UserReplies.InboxPage> answer)
        {
            if (answer.Value is not { } page)
            {
                if (run.ForClient) FinishClientSync(new ErrorFrame(answer.Error!.Code, answer.Error.Message));
                else
                {
                    // The inbox could not answer: attaching again retries with backoff and catches up when answered.
                    _catchUp = null;
                    StartReattach();
                }
                return;
            }
            foreach (var message in page.Messages) Enqueue(new MessageFrame(message));
            if (page.Messages.Count == SyncPage)
            {
                Page(run with { After = page.NextAfter });
                return;
            }
            if (run.ForClient)
            {
                FinishClientSync(new SyncedFrame(page.NextAfter));
                return;
            }
            _catchUp = null;
            if (_catchUpAgain)
            {
                _catchUpAgain = false;
                CatchUp();
            }
        }

        private void FinishClientSync(ServerFrame last)
        {
            _inFlight--;
            Enqueue(last);
            PullIfReady();
        }

        // ---- out to the socket ----

        private void Enqueue(ServerFrame frame)
        {
            if (_out.Add(frame) && IsAvailable(_stage._out)) Emit();
        }

        /// <summary>Whatever queued goes out as one batch: the writer coalesces it while the last write was in flight.</summary>
        private void Emit()
        {
            if (IsAvailable(_stage._out) && _out.TakeBatch() is { } batch) Push(_stage._out, batch);
            while (_parked.Count > 0 && _out.Count < SyncPage) Page(_parked.Dequeue());
            PullIfReady();
        }
    }
}
