using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Tasks.Sources;

namespace Messenger.Bench;

/// <summary>
/// Wake-ups at ~1 ms precision for the open-loop schedule. Task.Delay rides the runtime's coarse
/// millisecond tick (4 ms steps on many Linux kernels), which would turn into fake latency; here one
/// dedicated thread sleeps 1 ms at a time (nanosleep) and completes due waiters from a min-heap.
/// Waiters are reusable IValueTaskSources, so waiting does not allocate.
/// </summary>
public sealed class PreciseTimer : IDisposable
{
    private readonly ConcurrentQueue<Waiter> _incoming = new();
    private readonly PriorityQueue<Waiter, long> _heap = new();
    private readonly Thread _thread;
    private readonly CancellationToken _stop;
    private readonly long _slack = Stopwatch.Frequency / 2000; // fire up to 0.5 ms early rather than 0.5 ms late
    private volatile bool _disposed;

    public PreciseTimer(CancellationToken stop)
    {
        _stop = stop;
        _thread = new Thread(Run) { IsBackground = true, Name = "bench-open-loop-timer", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    public Waiter CreateWaiter() => new(this);

    private void Run()
    {
        while (!_disposed)
        {
            while (_incoming.TryDequeue(out var w)) _heap.Enqueue(w, w.Due);
            bool stopping = _stop.IsCancellationRequested;
            long now = Stopwatch.GetTimestamp();
            while (_heap.TryPeek(out var w, out long due) && (stopping || due <= now + _slack))
            {
                _heap.Dequeue();
                w.Fire(!stopping);
            }
            Thread.Sleep(1);
        }
        // Nobody may be left waiting forever.
        while (_incoming.TryDequeue(out var w)) w.Fire(false);
        while (_heap.TryDequeue(out var w, out _)) w.Fire(false);
    }

    public void Dispose()
    {
        _disposed = true;
        _thread.Join();
    }

    /// <summary>One per sending loop; at most one outstanding wait at a time.</summary>
    public sealed class Waiter : IValueTaskSource<bool>
    {
        private readonly PreciseTimer _timer;
        // Continuations go to the thread pool so a send never runs on the timer thread.
        private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };

        internal Waiter(PreciseTimer timer) => _timer = timer;

        internal long Due { get; private set; }

        /// <summary>Completes with true at <paramref name="due"/>, or false once the run is stopping.</summary>
        public ValueTask<bool> WaitUntilAsync(long due)
        {
            _core.Reset();
            Due = due;
            if (_timer._disposed) _core.SetResult(false);
            else _timer._incoming.Enqueue(this);
            return new ValueTask<bool>(this, _core.Version);
        }

        internal void Fire(bool result) => _core.SetResult(result);

        public bool GetResult(short token) => _core.GetResult(token);
        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);
        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
