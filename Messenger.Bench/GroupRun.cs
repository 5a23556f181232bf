using System.Diagnostics;
using System.Text.Json;

namespace Messenger.Bench;

/// <summary>
/// <c>--mode group --group-size N</c>: signs up <c>--groups</c> × N users, creates the groups over HTTP (member 0
/// creates each, the groups do not share members), connects every member's device, then the first <c>--senders</c>
/// members of each group run a closed loop of sends to their group for the warmup and the measured window, and the run
/// drains. Every member's device counts the group's text messages it gets, which gives copies delivered and the
/// latency from send to the last member's device.
/// </summary>
public sealed class GroupRun(BenchOptions options)
{
    public static async Task<int> MainAsync(BenchOptions options, CancellationToken abort)
    {
        try
        {
            var figures = await new GroupRun(options).RunAsync(abort).ConfigureAwait(false);
            figures.WriteHumanSummary(Console.Error);
            Console.Out.WriteLine(figures.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
            return abort.IsCancellationRequested ? 1 : figures.ExitCode;
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            Console.Error.WriteLine("interrupted before traffic started");
            return 1;
        }
    }

    public async Task<GroupFigures> RunAsync(CancellationToken abort)
    {
        using var api = new ApiClient(options.Url);
        var tracker = new GroupTracker();
        var setup = new BenchSetup(api, new BenchStats(), options.SetupConcurrency);
        if (!await api.IsReadyAsync(abort).ConfigureAwait(false))
            Console.Error.WriteLine("warning: GET /health/ready did not answer 200; trying anyway");
        int n = options.GroupSize;
        Console.Error.WriteLine($"run {setup.RunId}: signing up {options.Groups * n} users");
        var users = await SavedUsers.LoadOrSignUpAsync(options.UsersFile, setup, options.Groups * n, abort).ConfigureAwait(false);

        var groups = await CreateGroupsAsync(setup.RunId, users, abort).ConfigureAwait(false);
        string body = new('x', options.BodyBytes);
        var devices = groups.SelectMany(g => g.Members.Select((u, m) => new GroupDevice(u, g, m, body, options.Inflight, tracker))).ToList();
        Console.Error.WriteLine($"{groups.Count} groups of {n}; opening {devices.Count} WebSocket connections");
        var connected = new bool[devices.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, devices.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.SetupConcurrency, CancellationToken = abort },
            async (i, ct) => connected[i] = await devices[i].ConnectAsync(api.WebSocketBase, ct).ConfigureAwait(false)).ConfigureAwait(false);
        var open = new List<GroupDevice>();
        for (int i = 0; i < devices.Count; i++)
        {
            if (!connected[i]) continue;
            var d = devices[i];
            var group = groups.First(g => g.Members.Contains(d.User));
            group.LiveMask[d.Member >> 6] |= 1L << (d.Member & 63);
            open.Add(d);
        }
        var senders = open.Where(d => d.Member < options.Senders).ToList();
        Console.Error.WriteLine($"{open.Count}/{devices.Count} connections open, {senders.Count} senders; warmup {options.WarmupSec}s, measure {options.DurationSec}s");

        var clock = new RunClock(options.WarmupSec, options.DurationSec);
        tracker.Clock = clock;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(abort);
        using var retriesEnd = new CancellationTokenSource();
        using var progress = new Timer(_ => Console.Error.WriteLine(
            $"[{clock.ElapsedSeconds,6:F1}s {clock.PhaseAt(Stopwatch.GetTimestamp()),-7}] sent {Interlocked.Read(ref tracker.Sent)}  " +
            $"acked {Interlocked.Read(ref tracker.Acked)}  copies {Interlocked.Read(ref tracker.CopiesDelivered)}  pending {tracker.Pending}  " +
            $"errors {Interlocked.Read(ref tracker.Errors)}"), null, 5000, 5000);
        var loops = Task.WhenAll(senders.Select(d => d.RunAsync(stop.Token, retriesEnd.Token)));
        PrometheusText? windowStart = null, windowEnd = null;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(options.WarmupSec), abort).ConfigureAwait(false);
            windowStart = await api.GetMetricsAsync(abort).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromSeconds(options.DurationSec), abort).ConfigureAwait(false);
            windowEnd = await api.GetMetricsAsync(abort).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: the window ends now and still reports.
        }
        clock.MarkStopped(Stopwatch.GetTimestamp());
        stop.Cancel();
        await loops.ConfigureAwait(false);

        // Drain: sends still unanswered (retries go on) and copies still on their way.
        var deadline = Stopwatch.GetTimestamp() + RunClock.SecondsToTicks(options.DrainSec);
        while (tracker.Pending > 0 && Stopwatch.GetTimestamp() < deadline)
            await Task.Delay(100).ConfigureAwait(false);
        retriesEnd.Cancel();
        var counts = GroupCounts.From(tracker, clock.MeasuredSeconds);

        using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        await Task.WhenAll(open.Select(d => d.CloseAsync(closing.Token))).ConfigureAwait(false);
        return new GroupFigures(n, groups.Count, options.Senders, options.Inflight, open.Count, counts,
            tracker.AckLatency.Summarize(), tracker.LastDeviceLatency.Summarize())
        {
            Server = windowStart is not null && windowEnd is not null ? new ServerWindow(windowStart, windowEnd, counts.AckedInWindow) : null,
        };
    }

    /// <summary>Group g holds users g·N … g·N+N−1 (those signed up); member 0 creates it. Groups that fail are left out.</summary>
    private async Task<List<BenchGroup>> CreateGroupsAsync(string runId, BenchUser?[] users, CancellationToken abort)
    {
        int n = options.GroupSize;
        using var setup = new GroupSetup(options.Url);
        var created = new BenchGroup?[options.Groups];
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Groups),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Min(options.SetupConcurrency, 4), CancellationToken = abort },
            async (g, ct) =>
            {
                var members = users.Skip(g * n).Take(n).OfType<BenchUser>().ToList();
                if (members.Count < Math.Max(2, options.Senders)) return;
                var id = await setup.CreateAsync(members[0], $"bench {runId} g{g}", members.Skip(1).Select(u => u.Name), ct).ConfigureAwait(false);
                if (id is not null) created[g] = new BenchGroup(g, id, members);
            }).ConfigureAwait(false);
        return created.OfType<BenchGroup>().ToList();
    }
}
