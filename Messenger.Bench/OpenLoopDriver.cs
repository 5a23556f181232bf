using System.Diagnostics;

namespace Messenger.Bench;

/// <summary>
/// Open loop: R msgs/s in total, each connection on its own fixed schedule (R / connections, with a
/// random phase so connections do not fire in lockstep). Sends follow the clock, never acks. A send
/// that leaves late is timed from its scheduled time, so a stalled server or client shows up as
/// latency (no coordinated omission); a connection that falls behind sends its overdue messages back to back.
/// </summary>
public sealed class OpenLoopDriver(double totalRate) : ITrafficDriver
{
    public async Task RunAsync(IReadOnlyList<BenchConnection> connections, RunClock clock, CancellationToken stop)
    {
        if (connections.Count == 0) return;
        double intervalTicks = Stopwatch.Frequency * connections.Count / totalRate;
        using var timer = new PreciseTimer(stop);
        var tasks = new Task[connections.Count];
        for (int i = 0; i < connections.Count; i++)
        {
            double phase = Random.Shared.NextDouble() * intervalTicks;
            tasks[i] = RunOneAsync(connections[i], clock, timer.CreateWaiter(), clock.StartTs + phase, intervalTicks, stop);
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private static async Task RunOneAsync(BenchConnection conn, RunClock clock, PreciseTimer.Waiter waiter,
        double firstTs, double intervalTicks, CancellationToken stop)
    {
        for (long k = 0; ; k++)
        {
            long due = (long)(firstTs + k * intervalTicks);
            if (due >= clock.MeasureEndTs || stop.IsCancellationRequested || !conn.IsOpen) return;
            if (due > Stopwatch.GetTimestamp() && !await waiter.WaitUntilAsync(due).ConfigureAwait(false)) return;
            if (!await conn.SendMessageAsync(due).ConfigureAwait(false)) return;
        }
    }
}
