namespace Messenger.Bench;

/// <summary>One stderr line per second with rates over the last second (all phases, warmup included).</summary>
public sealed class ProgressPrinter(BenchStats stats, RunClock clock, MessageTracker tracker, int connections)
{
    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        long sent = 0, acks = 0, deliveries = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                long s = Interlocked.Read(ref stats.TotalSent);
                long a = Interlocked.Read(ref stats.TotalAcks);
                long d = Interlocked.Read(ref stats.TotalFirstDeliveries);
                long now = System.Diagnostics.Stopwatch.GetTimestamp();
                Console.Error.WriteLine(
                    $"[{clock.ElapsedSeconds,6:F1}s {clock.PhaseAt(now),-7}] sent {s - sent,7}/s  acked {a - acks,7}/s  delivered {d - deliveries,7}/s  " +
                    $"pending {tracker.Pending,7}  conns {Interlocked.Read(ref stats.OpenConnections)}/{connections}  errors {stats.ErrorTotal}");
                sent = s; acks = a; deliveries = d;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
