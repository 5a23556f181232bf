using System.Diagnostics;

namespace Messenger.Bench;

/// <summary>
/// Closed loop: every connection keeps K messages unacknowledged; a `sent` (or an error naming the
/// message) frees a slot for the next send. Throughput is whatever the server sustains at that depth.
/// </summary>
public sealed class ClosedLoopDriver(int inflight) : ITrafficDriver
{
    public Task RunAsync(IReadOnlyList<BenchConnection> connections, RunClock clock, CancellationToken stop)
    {
        var tasks = new Task[connections.Count];
        for (int i = 0; i < connections.Count; i++) tasks[i] = RunOneAsync(connections[i], clock, stop);
        return Task.WhenAll(tasks);
    }

    private async Task RunOneAsync(BenchConnection conn, RunClock clock, CancellationToken stop)
    {
        var slots = new SemaphoreSlim(inflight, inflight);
        conn.InflightSlots = slots;
        // Also stop when this socket dies, so a dead connection does not wait on slots forever.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, conn.Closed);
        try
        {
            while (true)
            {
                await slots.WaitAsync(linked.Token).ConfigureAwait(false);
                // The stop token fires on a timer, a little late; do not send past the window.
                if (Stopwatch.GetTimestamp() >= clock.MeasureEndTs) return;
                if (!await conn.SendMessageAsync(scheduledTs: null).ConfigureAwait(false)) return;
            }
        }
        catch (OperationCanceledException)
        {
            // End of the run or socket closed.
        }
    }
}
