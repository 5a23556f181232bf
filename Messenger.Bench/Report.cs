using System.Globalization;
using System.Text.Json.Nodes;

namespace Messenger.Bench;

/// <summary>Final results: a human summary on stderr and one JSON line on stdout; also decides the exit code.</summary>
public sealed class Report(BenchOptions options, BenchStats stats)
{
    public int Connections { get; set; }
    public double MeasuredSeconds { get; set; }
    public Leftovers Leftovers { get; set; } = new();
    public long? ServerRssBytes { get; set; }
    public IdleResult? Idle { get; set; }
    public bool Interrupted { get; set; }
    public ServerWindow? Server { get; set; }
    public string? GcDumpFile { get; set; }
    public JsonArray? HeapPerConnection { get; set; }

    private string ModeName => options.Mode.ToString().ToLowerInvariant();

    private long? BytesPerConnection =>
        Idle is { Before: { } b, After: { } a } && Connections > 0 ? (a.RssBytes - b.RssBytes) / Connections : null;

    /// <summary>0 = ran fine, 1 = ran but something was lost / nothing was acknowledged in the window.</summary>
    public int ExitCode
    {
        get
        {
            if (options.Mode == BenchMode.Idle) return Connections > 0 && BytesPerConnection is not null ? 0 : 1;
            return Leftovers.Undelivered > 0 || Interlocked.Read(ref stats.MeasuredAckedInWindow) == 0 ? 1 : 0;
        }
    }

    /// <summary>Per second of the measured window; null when no window ran (nothing to divide by).</summary>
    private double? PerSecond(long count) => MeasuredSeconds > 0 ? Round(count / MeasuredSeconds) : null;

    public JsonObject ToJson()
    {
        var errors = new JsonObject();
        foreach (var (code, n) in stats.ErrorSnapshot()) errors[code] = n;
        var otherErrors = new JsonObject();
        foreach (var (code, n) in stats.OtherErrorSnapshot()) otherErrors[code] = n;

        var j = new JsonObject
        {
            ["mode"] = ModeName,
            ["devices"] = options.Devices,
            ["connections"] = Connections,
        };
        if (options.Mode == BenchMode.Idle) AddIdle(j);
        else AddTraffic(j);
        j["errors"] = errors;
        j["errorsOutsideWindow"] = otherErrors;
        if (ServerRssBytes is { } rss) j["serverRssBytes"] = rss;
        if (options.ServerPid is { } pid) j["serverGcSettings"] = ServerGcSettings.Read(pid);
        if (Interrupted) j["interrupted"] = true;
        return j;
    }

    private void AddTraffic(JsonObject j)
    {
        j["pairs"] = options.Pairs;
        j["bodyBytes"] = options.BodyBytes;
        if (options.Mode == BenchMode.Closed) j["inflight"] = options.Inflight;
        if (options.Mode == BenchMode.Open) j["rate"] = options.Rate;
        j["measuredSeconds"] = Round(MeasuredSeconds);
        j["sent"] = Interlocked.Read(ref stats.MeasuredSent);
        j["acked"] = Interlocked.Read(ref stats.MeasuredAcked);
        j["ackedInWindow"] = Interlocked.Read(ref stats.MeasuredAckedInWindow);
        j["rejected"] = Interlocked.Read(ref stats.MeasuredRejected);
        j["delivered"] = Interlocked.Read(ref stats.MeasuredDelivered);
        j["deliveredAllDevices"] = Interlocked.Read(ref stats.MeasuredDeliveredAll);
        j["deliveredInWindow"] = Interlocked.Read(ref stats.MeasuredDeliveredInWindow);
        j["undelivered"] = Leftovers.Undelivered;
        j["partiallyDelivered"] = Leftovers.PartiallyDelivered;
        j["unacked"] = Leftovers.Unacked;
        j["undeliveredWarmup"] = Leftovers.UndeliveredWarmup;
        j["duplicateDeliveries"] = Interlocked.Read(ref stats.DuplicateDeliveries);
        j["ackPerSec"] = PerSecond(Interlocked.Read(ref stats.MeasuredAckedInWindow));
        j["deliveredPerSec"] = PerSecond(Interlocked.Read(ref stats.MeasuredDeliveredInWindow));
        j["ackLatencyMs"] = Latency(stats.AckLatency.Summarize());
        j["deliverLatencyMs"] = Latency(stats.DeliverLatency.Summarize());
        if (options.Mode == BenchMode.Open) j["sendLagMs"] = Latency(stats.SendLag.Summarize());
        if (Server is { } server) j["server"] = server.ToJson();
    }

    private void AddIdle(JsonObject j)
    {
        if (Idle is not { } idle) return;
        j["requestedConnections"] = idle.RequestedConnections;
        j["bytesPerConnection"] = BytesPerConnection;
        j["kbPerConnection"] = BytesPerConnection is { } bytes ? Math.Round(bytes / 1024.0, 1) : null;
        j["rssBeforeBytes"] = idle.Before?.RssBytes;
        j["rssAfterBytes"] = idle.After?.RssBytes;
        j["rssSource"] = idle.After?.Source ?? idle.Before?.Source;
        j["managedBeforeBytes"] = idle.Before?.ManagedBytes;
        j["managedAfterBytes"] = idle.After?.ManagedBytes;
        j["serverConnections"] = idle.After?.ServerConnections;
        if (GcDumpFile is not null) j["gcdump"] = GcDumpFile;
        if (HeapPerConnection is not null) j["heapBytesPerConnectionByType"] = HeapPerConnection;
    }

    public void WriteHumanSummary(TextWriter w)
    {
        w.WriteLine();
        w.WriteLine($"== {ModeName} mode, {Connections} connections ==");
        if (options.Mode == BenchMode.Idle)
        {
            var bpc = BytesPerConnection;
            w.WriteLine($"RSS before {Fmt(Idle?.Before?.RssBytes)} B, after {Fmt(Idle?.After?.RssBytes)} B, per connection {(bpc is null ? "n/a" : Fmt(bpc) + " B")}");
        }
        else
        {
            w.WriteLine($"measured {MeasuredSeconds:F1}s: sent {stats.MeasuredSent}, acked {stats.MeasuredAcked} ({stats.MeasuredAckedInWindow} inside the window), " +
                        $"rejected {stats.MeasuredRejected}, delivered {stats.MeasuredDelivered}" +
                        (options.Devices > 1 ? $" ({stats.MeasuredDeliveredAll} to all {options.Devices} devices)" : ""));
            w.WriteLine($"throughput: {PerSecond(stats.MeasuredAckedInWindow)?.ToString("F0") ?? "n/a"} acks/s, " +
                        $"{PerSecond(stats.MeasuredDeliveredInWindow)?.ToString("F0") ?? "n/a"} deliveries/s (messages sent and answered inside the window)");
            w.WriteLine($"ack latency     {Describe(stats.AckLatency.Summarize())}");
            w.WriteLine($"deliver latency {Describe(stats.DeliverLatency.Summarize())}");
            if (options.Mode == BenchMode.Open) w.WriteLine($"send lag        {Describe(stats.SendLag.Summarize())}");
            w.WriteLine($"undelivered {Leftovers.Undelivered}, unacked {Leftovers.Unacked}, partially delivered {Leftovers.PartiallyDelivered}, " +
                        $"undelivered warmup {Leftovers.UndeliveredWarmup}, duplicates {stats.DuplicateDeliveries}");
        }
        if (Server is { } server)
        {
            var s = server.ToJson();
            w.WriteLine($"server in the window: acknowledged {s["acknowledged"]?.ToString() ?? "n/a"}, journal rows/ack {s["rowsPerAck"]?.ToString() ?? "n/a"}, " +
                        $"rows/transaction {s["rowsPerTransaction"]?.ToString() ?? "n/a"}, CPU ms/ack {s["cpuMsPerAck"]?.ToString() ?? "n/a"}, GC pause {s["gcPausePercent"]?.ToString() ?? "n/a"} %");
        }
        var errors = stats.ErrorSnapshot();
        w.WriteLine(errors.Count == 0 ? "errors in the window: none" : "errors in the window: " + string.Join(", ", errors.Select(kv => $"{kv.Key}={kv.Value}")));
        var other = stats.OtherErrorSnapshot();
        if (other.Count > 0) w.WriteLine("errors outside the window (setup, warmup, drain): " + string.Join(", ", other.Select(kv => $"{kv.Key}={kv.Value}")));
    }

    private static JsonObject Latency(LatencySummary s) => new()
    {
        ["p50"] = Round(s.P50),
        ["p95"] = Round(s.P95),
        ["p99"] = Round(s.P99),
        ["max"] = Round(s.Max),
        ["mean"] = Round(s.Mean),
        ["count"] = s.Count,
    };

    private static string Describe(LatencySummary s) =>
        s.Count == 0 ? "n/a" : $"p50 {s.P50:F2} ms  p95 {s.P95:F2} ms  p99 {s.P99:F2} ms  max {s.Max:F2} ms  (n={s.Count})";

    private static double Round(double v) => Math.Round(v, 3);

    private static string Fmt(long? v) => v?.ToString("N0", CultureInfo.InvariantCulture) ?? "n/a";
}
