namespace Messenger.Bench;

/// <summary>
/// Idle mode: memory cost of an idle WebSocket on the server. Signs up ceil(C / devices) users
/// (with the default --devices 1 that is one user per connection), samples server RSS, opens C
/// sockets that send nothing, waits --warmup seconds (at least 3) for the server to settle, samples
/// again: bytesPerConnection = (rssAfter - rssBefore) / connections actually open.
/// </summary>
public sealed class IdleProbe(BenchOptions options, ApiClient api)
{
    public async Task<Report> RunAsync(CancellationToken abort)
    {
        var stats = new BenchStats();
        var tracker = new MessageTracker(stats, options.Connections);
        var setup = new BenchSetup(api, stats, options.SetupConcurrency);
        var report = new Report(options, stats);

        OpenFileLimit.Warn(options.Connections);
        int userCount = (options.Connections + options.Devices - 1) / options.Devices;
        Console.Error.WriteLine($"run {setup.RunId}: signing up {userCount} users for {options.Connections} idle connections");
        var users = (await SavedUsers.LoadOrSignUpAsync(options.UsersFile, setup, userCount, abort).ConfigureAwait(false)).OfType<BenchUser>().ToList();

        var all = new List<BenchConnection>(options.Connections);
        for (int i = 0; i < options.Connections && users.Count > 0; i++)
        {
            var user = users[i % users.Count];
            var c = new BenchConnection(user, user.Connections.Count, tracker, stats);
            user.Connections.Add(c);
            all.Add(c);
        }

        // The baseline snapshot is taken first (it forces a full GC), like the RSS one: users signed up, no socket open yet.
        string? heapBefore = options.GcDumpFile is { } baseline && options.ServerPid is { } serverPid
            ? await GcDump.CollectAsync(serverPid, Path.ChangeExtension(baseline, ".before.gcdump"), abort).ConfigureAwait(false)
            : null;

        // Let sign-up garbage and thread-pool growth on the server settle before the baseline.
        await Task.Delay(TimeSpan.FromSeconds(2), abort).ConfigureAwait(false);
        var before = await RssProbe.SampleAsync(options.ServerPid, api, abort).ConfigureAwait(false);
        Console.Error.WriteLine(before is null ? "warning: server RSS unavailable (no --server-pid and no usable GET /metrics)" : $"RSS before: {Mb(before.RssBytes)} ({before.Source})");

        Console.Error.WriteLine($"opening {all.Count} idle WebSocket connections");
        var open = await setup.ConnectAsync(all, abort).ConfigureAwait(false);
        report.Connections = open.Count;

        double settle = Math.Max(3, options.WarmupSec);
        Console.Error.WriteLine($"{open.Count}/{all.Count} open; settling {settle}s");
        await Task.Delay(TimeSpan.FromSeconds(settle), abort).ConfigureAwait(false);
        var after = await RssProbe.SampleAsync(options.ServerPid, api, abort).ConfigureAwait(false);
        if (after is not null) Console.Error.WriteLine($"RSS after: {Mb(after.RssBytes)} ({after.Source}); open connections now {Interlocked.Read(ref stats.OpenConnections)}");

        // Count what is still open when RSS was sampled, not what opened at some point.
        report.Connections = (int)Interlocked.Read(ref stats.OpenConnections);
        if (options.GcDumpFile is { } dump && options.ServerPid is { } pid && heapBefore is not null &&
            await GcDump.CollectAsync(pid, dump, abort).ConfigureAwait(false) is { } heapAfter)
        {
            report.GcDumpFile = Path.GetFullPath(dump);
            report.HeapPerConnection = GcDump.PerConnection(heapBefore, heapAfter, Math.Max(1, report.Connections), dump + ".per-connection.txt");
        }
        report.Idle = new IdleResult(options.Connections, before, after);
        await TrafficRun.CloseAllAsync(open).ConfigureAwait(false);
        return report;
    }

    private static string Mb(long bytes) => $"{bytes / 1048576.0:F1} MiB";
}

public sealed record IdleResult(int RequestedConnections, RssSample? Before, RssSample? After);
