using System.Globalization;
using System.Text.Json.Nodes;

namespace Messenger.Bench;

/// <summary>What a group run counted, after its drain.</summary>
public sealed record GroupCounts(
    double MeasuredSeconds, long MeasuredSent, long AckedInWindow, long CopiesInWindow,
    long Sent, long Acked, long CopiesDelivered, long Unacked, long Undelivered, long Duplicates, long Unexpected, long Failed,
    long Errors, IReadOnlyList<KeyValuePair<string, long>> ErrorsByCode)
{
    public static GroupCounts From(GroupTracker t, double measuredSeconds)
    {
        var (unacked, undelivered) = t.Outstanding();
        return new GroupCounts(measuredSeconds, Interlocked.Read(ref t.MeasuredSent), Interlocked.Read(ref t.AckedInWindow),
            Interlocked.Read(ref t.CopiesInWindow), Interlocked.Read(ref t.Sent), Interlocked.Read(ref t.Acked),
            Interlocked.Read(ref t.CopiesDelivered), unacked, undelivered, Interlocked.Read(ref t.Duplicates),
            Interlocked.Read(ref t.Unexpected), Interlocked.Read(ref t.Failed), Interlocked.Read(ref t.Errors), t.ErrorsByCode);
    }
}

/// <summary>
/// The group mode's figures from its counts: group messages acknowledged per second, member copies delivered per
/// second (`message` frames on member devices, the sender's own included), latency of send → ack and send → the last
/// of the other members' devices, errors by code, and the exit code. Pure: specs drive it directly.
/// </summary>
public sealed record GroupFigures(
    int GroupSize, int Groups, int SendersPerGroup, int Inflight, int Connections, GroupCounts Counts,
    LatencySummary Ack, LatencySummary LastDevice)
{
    /// <summary>The server's own counts over the window (two <c>GET /metrics</c> scrapes), when it exports them.</summary>
    public ServerWindow? Server { get; init; }

    public double? AckedPerSec => ReceiptsFigures.PerSecond(Counts.AckedInWindow, Counts.MeasuredSeconds);
    public double? CopiesPerSec => ReceiptsFigures.PerSecond(Counts.CopiesInWindow, Counts.MeasuredSeconds);

    /// <summary>0 when the window acknowledged something and every send ended acknowledged on every connected member's device, once.</summary>
    public int ExitCode => Counts.AckedInWindow > 0 && Counts.Unacked == 0 && Counts.Undelivered == 0 && Counts.Duplicates == 0 ? 0 : 1;

    public JsonObject ToJson() => new()
    {
        ["mode"] = "group",
        ["groupSize"] = GroupSize,
        ["groups"] = Groups,
        ["sendersPerGroup"] = SendersPerGroup,
        ["inflight"] = Inflight,
        ["connections"] = Connections,
        ["measuredSeconds"] = Math.Round(Counts.MeasuredSeconds, 3),
        ["groupMsgsAckedPerSec"] = AckedPerSec,
        ["memberCopiesDeliveredPerSec"] = CopiesPerSec,
        ["ackLatencyMs"] = Latency(Ack),
        ["lastMemberDeviceLatencyMs"] = Latency(LastDevice),
        ["measuredSent"] = Counts.MeasuredSent,
        ["ackedInWindow"] = Counts.AckedInWindow,
        ["copiesInWindow"] = Counts.CopiesInWindow,
        ["sent"] = Counts.Sent,
        ["acked"] = Counts.Acked,
        ["copiesDelivered"] = Counts.CopiesDelivered,
        ["unacked"] = Counts.Unacked,
        ["undelivered"] = Counts.Undelivered,
        ["duplicates"] = Counts.Duplicates,
        ["unexpected"] = Counts.Unexpected,
        ["failed"] = Counts.Failed,
        ["errors"] = Counts.Errors,
        ["errorsByCode"] = new JsonObject(Counts.ErrorsByCode.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
        ["server"] = Server is null ? null : ServerCosts(Server),
    };

    /// <summary>
    /// The server's window with its per-message figures on the group's basis: CPU and journal rows per group message
    /// acknowledged and per member copy delivered (a group message costs N copies; CPU per copy is the figure that
    /// holds still on a shared box).
    /// </summary>
    public JsonObject ServerCosts(ServerWindow server)
    {
        var json = server.ToJson();
        double? cpuMs = server.CpuSeconds * 1000;
        double? rows = server.JournalRows;
        json["cpuMsPerGroupMsg"] = Ratio(cpuMs, Counts.AckedInWindow);
        json["cpuMicrosPerCopy"] = Ratio(cpuMs * 1000, Counts.CopiesInWindow);
        json["rowsPerGroupMsg"] = Ratio(rows, Counts.AckedInWindow);
        json["rowsPerCopy"] = Ratio(rows, Counts.CopiesInWindow);
        return json;
    }

    private static double? Ratio(double? a, long b) => a is { } x && b > 0 ? Math.Round(x / b, 3) : null;

    public void WriteHumanSummary(TextWriter w)
    {
        w.WriteLine();
        w.WriteLine($"== group mode: {Groups} groups of {GroupSize}, {SendersPerGroup} senders each, {Inflight} in flight per sender, " +
                    $"{Connections} connections ==");
        w.WriteLine($"group messages acknowledged: {Fmt(AckedPerSec)}/s ({Counts.AckedInWindow} in {Counts.MeasuredSeconds:F1}s)");
        w.WriteLine($"member copies delivered:      {Fmt(CopiesPerSec)}/s ({Counts.CopiesInWindow} message frames on member devices)");
        w.WriteLine($"send -> ack:                  p50 {Ack.P50:F1} ms, p99 {Ack.P99:F1} ms, max {Ack.Max:F1} ms ({Ack.Count} sends)");
        w.WriteLine($"send -> last other member:    p50 {LastDevice.P50:F1} ms, p99 {LastDevice.P99:F1} ms, max {LastDevice.Max:F1} ms ({LastDevice.Count} sends)");
        if (Server is not null)
        {
            var costs = ServerCosts(Server);
            w.WriteLine($"server: CPU {costs["cpuMsPerGroupMsg"]?.ToString() ?? "n/a"} ms per group message, {costs["cpuMicrosPerCopy"]?.ToString() ?? "n/a"} µs per copy; " +
                        $"journal rows {costs["rowsPerCopy"]?.ToString() ?? "n/a"} per copy, {costs["rowsPerTransaction"]?.ToString() ?? "n/a"} per transaction");
        }
        w.WriteLine($"unacked {Counts.Unacked}, undelivered {Counts.Undelivered}, duplicates {Counts.Duplicates}, failed {Counts.Failed}; errors: " +
                    (Counts.Errors == 0 ? "none" : string.Join(", ", Counts.ErrorsByCode.Select(e => $"{e.Key}={e.Value}"))));
    }

    private static JsonObject Latency(LatencySummary s) => new()
    {
        ["count"] = s.Count,
        ["p50"] = s.P50,
        ["p95"] = s.P95,
        ["p99"] = s.P99,
        ["max"] = s.Max,
        ["mean"] = Math.Round(s.Mean, 3),
    };

    private static string Fmt(double? v) => v?.ToString("0.#", CultureInfo.InvariantCulture) ?? "n/a";
}
