using System.Diagnostics;
using System.Text.Json;

namespace Messenger.Bench;

/// <summary>
/// <c>--mode receipts</c>: the closed loop twice on the same users and sockets, back to back: first plain, then
/// with every delivery acknowledged by `received` frames as a real client does. Each window has its own warmup
/// (the switch to acknowledging first covers the backlog the plain loop left). Prints both loops' msgs/s, their
/// ratio and the acknowledged msgs/s.
/// </summary>
public sealed class ReceiptsRun(BenchOptions options, ApiClient api)
{
    public static async Task<int> MainAsync(BenchOptions options, CancellationToken abort)
    {
        using var api = new ApiClient(options.Url);
        try
        {
            var (figures, connections) = await new ReceiptsRun(options, api).RunAsync(abort).ConfigureAwait(false);
            figures.WriteHumanSummary(Console.Error, connections);
            Console.Out.WriteLine(figures.ToJson(options, connections).ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
            return abort.IsCancellationRequested ? 1 : figures.ExitCode;
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            Console.Error.WriteLine("interrupted before traffic started");
            return 1;
        }
    }

    public async Task<(ReceiptsFigures Figures, int Connections)> RunAsync(CancellationToken abort)
    {
        var counters = new ReceiptsCounters();
        var setup = new BenchSetup(api, new BenchStats(), options.SetupConcurrency);
        if (!await api.IsReadyAsync(abort).ConfigureAwait(false))
            Console.Error.WriteLine("warning: GET /health/ready did not answer 200; trying anyway");
        Console.Error.WriteLine($"run {setup.RunId}: signing up {2 * options.Pairs} users");
        var users = await SavedUsers.LoadOrSignUpAsync(options.UsersFile, setup, 2 * options.Pairs, abort).ConfigureAwait(false);

        string body = new('x', options.BodyBytes);
        var devices = new List<AcknowledgingDevice>();
        for (int p = 0; p < options.Pairs; p++)
        {
            if (users[2 * p] is not { } a || users[2 * p + 1] is not { } b) continue;
            for (int d = 0; d < options.Devices; d++)
            {
                devices.Add(new AcknowledgingDevice(a, b, body, options.Inflight, counters));
                devices.Add(new AcknowledgingDevice(b, a, body, options.Inflight, counters));
            }
        }
        Console.Error.WriteLine($"opening {devices.Count} WebSocket connections");
        var open = new List<AcknowledgingDevice>();
        var connected = new bool[devices.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, devices.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.SetupConcurrency, CancellationToken = abort },
            async (i, ct) => connected[i] = await devices[i].ConnectAsync(api.WebSocketBase, ct).ConfigureAwait(false)).ConfigureAwait(false);
        for (int i = 0; i < devices.Count; i++)
            if (connected[i]) open.Add(devices[i]);
        Console.Error.WriteLine($"{open.Count}/{devices.Count} connections open; per loop: warmup {options.WarmupSec}s, measure {options.DurationSec}s");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var loops = Task.WhenAll(open.Select(d => d.RunAsync(stop.Token)));
        var plain = await WindowAsync(counters, ReceiptsCounters.Plain, abort).ConfigureAwait(false);
        counters.Acknowledge = true;
        Console.Error.WriteLine("acknowledging deliveries from now on");
        var acknowledging = await WindowAsync(counters, ReceiptsCounters.Acknowledging, abort).ConfigureAwait(false);
        stop.Cancel();
        await loops.ConfigureAwait(false);
        await DrainAsync(open).ConfigureAwait(false);

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        await Task.WhenAll(open.Select(d => d.CloseAsync(deadline.Token))).ConfigureAwait(false);
        return (new ReceiptsFigures(plain, acknowledging), open.Count);
    }

    /// <summary>Warmup (not counted), then one measured window of <paramref name="phase"/>; shorter only on Ctrl+C.</summary>
    private async Task<PhaseSnapshot> WindowAsync(ReceiptsCounters counters, int phase, CancellationToken abort)
    {
        await PauseAsync(options.WarmupSec, abort).ConfigureAwait(false);
        long start = Stopwatch.GetTimestamp();
        counters.Current = phase;
        await PauseAsync(options.DurationSec, abort).ConfigureAwait(false);
        counters.Current = -1;
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var snapshot = counters.Phases[phase].Snapshot(seconds);
        Console.Error.WriteLine($"  window {(phase == ReceiptsCounters.Plain ? "plain" : "with receipts")}: {snapshot.Acked} acked, " +
                                $"{snapshot.Acknowledged} acknowledged in {seconds:F1}s");
        return snapshot;
    }

    private static async Task PauseAsync(double seconds, CancellationToken abort)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds), abort).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: the window ends now and still reports.
        }
    }

    /// <summary>Waits (up to --drain seconds) for the sends still unanswered, so the server is idle when the sockets close.</summary>
    private async Task DrainAsync(IReadOnlyList<AcknowledgingDevice> devices)
    {
        var deadline = Stopwatch.GetTimestamp() + RunClock.SecondsToTicks(options.DrainSec);
        while (devices.Any(d => d.IsOpen && d.Outstanding > 0) && Stopwatch.GetTimestamp() < deadline)
            await Task.Delay(100).ConfigureAwait(false);
    }
}
