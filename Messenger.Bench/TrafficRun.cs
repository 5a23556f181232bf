using System.Diagnostics;

namespace Messenger.Bench;

/// <summary>
/// Closed/open mode: sign up 2×pairs users, open `devices` sockets each, run warmup + measured
/// window with the given driver, drain outstanding acks/deliveries, close, and build the report.
/// </summary>
public sealed class TrafficRun(BenchOptions options, ApiClient api, ITrafficDriver driver)
{
    public async Task<Report> RunAsync(CancellationToken abort)
    {
        var stats = new BenchStats();
        int userCount = 2 * options.Pairs;
        OpenFileLimit.Warn(userCount * options.Devices);
        var tracker = new MessageTracker(stats, userCount * options.Devices);
        var setup = new BenchSetup(api, stats, options.SetupConcurrency);
        var report = new Report(options, stats);

        if (!await api.IsReadyAsync(abort).ConfigureAwait(false))
            Console.Error.WriteLine("warning: GET /health/ready did not answer 200; trying anyway");

        Console.Error.WriteLine($"run {setup.RunId}: signing up {userCount} users");
        var users = await SavedUsers.LoadOrSignUpAsync(options.UsersFile, setup, userCount, abort).ConfigureAwait(false);

        // Only pairs whose both users exist take part; user 2i sends to 2i+1 and back.
        string body = new('x', options.BodyBytes);
        var all = new List<BenchConnection>();
        for (int p = 0; p < options.Pairs; p++)
        {
            if (users[2 * p] is not { } a || users[2 * p + 1] is not { } b) continue;
            AddDevices(a, b);
            AddDevices(b, a);
        }

        void AddDevices(BenchUser user, BenchUser peer)
        {
            for (int d = 0; d < options.Devices; d++)
            {
                var c = new BenchConnection(user, d, tracker, stats);
                c.SetPeer(peer, body);
                user.Connections.Add(c);
                all.Add(c);
            }
        }

        Console.Error.WriteLine($"opening {all.Count} WebSocket connections");
        var open = await setup.ConnectAsync(all, abort).ConfigureAwait(false);
        report.Connections = open.Count;
        Console.Error.WriteLine($"{open.Count}/{all.Count} connections open; warmup {options.WarmupSec}s, measure {options.DurationSec}s");

        var clock = new RunClock(options.WarmupSec, options.DurationSec);
        tracker.Clock = clock;
        using var progressCts = new CancellationTokenSource();
        var progress = new ProgressPrinter(stats, clock, tracker, open.Count).RunAsync(progressCts.Token);
        var windowStart = ScrapeAtAsync(clock.WarmupEndTs, abort);

        // Sending stops at the end of the measured window, or earlier on Ctrl+C.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(abort);
        stop.CancelAfter(TimeSpan.FromSeconds(options.WarmupSec + options.DurationSec));
        if (open.Count > 0) await driver.RunAsync(open, clock, stop.Token).ConfigureAwait(false);
        else Console.Error.WriteLine("no connection could be opened; skipping traffic");

        // Drivers may finish early (open loop's last slot, dead sockets); the window still ends on
        // schedule so in-window rates use the full duration. Only Ctrl+C shortens it.
        long remaining = clock.MeasureEndTs - Stopwatch.GetTimestamp();
        if (open.Count > 0 && remaining > 0 && !abort.IsCancellationRequested)
        {
            try { await Task.Delay(TimeSpan.FromSeconds(RunClock.TicksToSeconds(remaining)), abort).ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
        if (abort.IsCancellationRequested || open.Count == 0) clock.MarkStopped(Stopwatch.GetTimestamp());
        var windowEnd = await api.GetMetricsAsync(CancellationToken.None).ConfigureAwait(false);
        if (await windowStart.ConfigureAwait(false) is { } first && windowEnd is not null) report.Server = new ServerWindow(first, windowEnd, Interlocked.Read(ref stats.MeasuredAckedInWindow));

        await DrainAsync(tracker, stats, abort).ConfigureAwait(false);
        progressCts.Cancel();
        await progress.ConfigureAwait(false);

        report.Leftovers = tracker.CountLeftovers();
        report.MeasuredSeconds = open.Count > 0 ? clock.MeasuredSeconds : 0;
        report.ServerRssBytes = (await RssProbe.SampleAsync(options.ServerPid, api, CancellationToken.None).ConfigureAwait(false))?.RssBytes;

        await CloseAllAsync(open).ConfigureAwait(false);
        return report;
    }

    /// <summary>The server's counters when the window opens (null if /metrics is unreachable or the run was interrupted first).</summary>
    private async Task<PrometheusText?> ScrapeAtAsync(long timestamp, CancellationToken abort)
    {
        long wait = timestamp - Stopwatch.GetTimestamp();
        try
        {
            if (wait > 0) await Task.Delay(TimeSpan.FromSeconds(RunClock.TicksToSeconds(wait)), abort).ConfigureAwait(false);
            return await api.GetMetricsAsync(abort).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// Waits until every sent message is acked and delivered everywhere, or the drain timeout passes
    /// (2 s at most after Ctrl+C, so an interrupted run still reports promptly).
    /// </summary>
    private async Task DrainAsync(MessageTracker tracker, BenchStats stats, CancellationToken abort)
    {
        double seconds = abort.IsCancellationRequested ? Math.Min(2, options.DrainSec) : options.DrainSec;
        long deadline = Stopwatch.GetTimestamp() + RunClock.SecondsToTicks(seconds);
        if (tracker.Pending > 0) Console.Error.WriteLine($"draining {tracker.Pending} outstanding messages (up to {seconds}s)");
        // With every socket gone nothing more can arrive, so there is no point waiting.
        while (tracker.Pending > 0 && Stopwatch.GetTimestamp() < deadline && Interlocked.Read(ref stats.OpenConnections) > 0)
        {
            await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public static async Task CloseAllAsync(IReadOnlyList<BenchConnection> connections)
    {
        // One shared deadline so closing thousands of sockets cannot stretch the run.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        await Task.WhenAll(connections.Select(c => c.CloseAsync(deadline.Token))).ConfigureAwait(false);
    }
}
