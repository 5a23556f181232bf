using System.Text.Json.Nodes;

namespace Messenger.Bench;

/// <summary>
/// What the server itself counted during the measured window: the difference of two <c>GET /metrics</c> scrapes
/// taken when the window opened and when it closed. Gives the per-message costs the README sets beside the
/// throughput (journal rows per acknowledged message, rows per transaction, CPU, allocation and GC per message).
/// Series a server does not export are left out; in a cluster the journal series live on the shard hosts.
/// </summary>
/// Until the server counts its acknowledgements, per-message figures divide by the bench's own count of
/// messages acknowledged in the window (<c>perAckBasis</c> says which).
public sealed class ServerWindow(PrometheusText start, PrometheusText end, long benchAcked)
{
    public double Seconds => RunClock.TicksToSeconds(end.TakenTs - start.TakenTs);

    private double? Delta(string name, params string[] labels) =>
        end.Sum(name, labels) is { } b ? b - (start.Sum(name, labels) ?? 0) : null;

    private static double? Ratio(double? a, double? b) => a is { } x && b is { } y && y > 0 ? Math.Round(x / y, 3) : null;

    public double? Acknowledged => Delta("messenger_messages_acknowledged_total");
    public double? CpuSeconds => Delta("dotnet_process_cpu_time_seconds_total");
    public double? JournalRows => Delta("messenger_journal_batch_rows_sum");

    public JsonObject ToJson()
    {
        double? serverAcks = Acknowledged;
        double? acks = serverAcks ?? benchAcked;
        double? rows = Delta("messenger_journal_batch_rows_sum");
        double? transactions = Delta("messenger_journal_batch_rows_count");
        double? commitMs = Delta("messenger_journal_commit_duration_milliseconds_sum");
        double? cpu = Delta("dotnet_process_cpu_time_seconds_total");
        double? allocated = Delta("dotnet_gc_heap_total_allocated_bytes_total");
        double? pause = Delta("dotnet_gc_pause_time_seconds_total");

        var gcs = new JsonObject();
        foreach (var (generation, count) in end.ByLabel("dotnet_gc_collections_total", "gc_heap_generation"))
            gcs[generation] = count - start.ByLabel("dotnet_gc_collections_total", "gc_heap_generation").GetValueOrDefault(generation);
        var rejections = new JsonObject();
        foreach (var (code, count) in end.ByLabel("messenger_rejections_total", "code"))
        {
            double d = count - start.ByLabel("messenger_rejections_total", "code").GetValueOrDefault(code);
            if (d > 0) rejections[code] = d;
        }

        return new JsonObject
        {
            ["seconds"] = Math.Round(Seconds, 3),
            ["acknowledged"] = serverAcks,
            ["acknowledgedPerSec"] = Ratio(serverAcks, Seconds),
            ["perAckBasis"] = serverAcks is null ? "bench" : "server",
            ["journalRows"] = rows,
            ["journalTransactions"] = transactions,
            ["rowsPerAck"] = Ratio(rows, acks),
            ["rowsPerTransaction"] = Ratio(rows, transactions),
            ["commitMsMean"] = Ratio(commitMs, transactions),
            ["rejections"] = rejections,
            ["cpuMsPerAck"] = Ratio(cpu * 1000, acks),
            ["cpuCores"] = Ratio(cpu, Seconds),
            ["allocatedBytesPerAck"] = Ratio(allocated, acks),
            ["gcCollections"] = gcs,
            ["gcPausePercent"] = Ratio(pause * 100, Seconds),
            ["workingSetBytes"] = end.Sum("dotnet_process_memory_working_set_bytes"),
        };
    }
}
