namespace Messenger.Web.Auth;

/// <summary>
/// Admission to the few password-hashing slots of a node, fair between clients: each client address waits in its
/// own lane and free slots go round-robin over the lanes, so a client flooding the node waits behind itself, not in
/// front of everyone else. The wait is bounded three ways, each answered "busy" (429) at once rather than late: a
/// total queue length, a per-client queue length, and a longest wait.
/// </summary>
public sealed class HashingLanes(int slots, int maxQueued, int maxQueuedPerClient, TimeSpan maxWait)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Queue<Waiter>> _lanes = new(StringComparer.Ordinal);
    private readonly Queue<string> _turns = new();
    private int _free = slots;
    private int _queued;

    /// <summary>
    /// A slot (dispose it to give it back), or none when the client should be told to come back later;
    /// <see cref="Admission.ClientQueueFull"/> when that is because this client already has its share waiting.
    /// </summary>
    public async Task<Admission> EnterAsync(string client, CancellationToken ct)
    {
        Waiter waiter;
        lock (_gate)
        {
            if (_free > 0 && _queued == 0)
            {
                _free--;
                return new Admission(new Slot(this), false);
            }
            if (_queued >= maxQueued) return default;
            if (!_lanes.TryGetValue(client, out var lane))
            {
                lane = new Queue<Waiter>();
                _lanes[client] = lane;
                _turns.Enqueue(client);
            }
            if (lane.Count >= maxQueuedPerClient) return new Admission(null, true);
            waiter = new Waiter();
            lane.Enqueue(waiter);
            _queued++;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(maxWait);
        await using (timeout.Token.Register(() => waiter.Promise.TrySetResult(false)))
        {
            if (await waiter.Promise.Task) return new Admission(new Slot(this), false);
        }
        lock (_gate)
        {
            // Given up (time or caller): unless a slot was handed over in the same instant, it is still counted queued.
            if (!waiter.Handed)
            {
                waiter.Abandoned = true;
                _queued--;
                return default;
            }
        }
        Release();
        return default;
    }

    private void Release()
    {
        lock (_gate)
        {
            while (_turns.TryDequeue(out var client))
            {
                var lane = _lanes[client];
                var next = lane.Dequeue();
                if (lane.Count > 0) _turns.Enqueue(client);
                else _lanes.Remove(client);
                if (next.Abandoned) continue;
                _queued--;
                next.Handed = true;
                if (next.Promise.TrySetResult(true)) return;
                // Its timeout fired first: the slot it was handed comes back through its own Release.
                return;
            }
            _free++;
        }
    }

    public readonly record struct Admission(IDisposable? Slot, bool ClientQueueFull);

    private sealed class Waiter
    {
        public readonly TaskCompletionSource<bool> Promise = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool Handed;
        public bool Abandoned;
    }

    private sealed class Slot(HashingLanes lanes) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) lanes.Release();
        }
    }
}
