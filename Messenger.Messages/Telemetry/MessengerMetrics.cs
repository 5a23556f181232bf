using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Messenger.Messages.Telemetry;

/// <summary>
/// The instruments of the "Messenger" meter, in one place so the shard host (Messenger.Node) and the edge
/// (Messenger.Web) record into the same series without referencing each other. Static on purpose: recording is a
/// field access and, with no listener attached (tests, tools), costs next to nothing. Exported by whoever listens
/// (Messenger.Web maps them to <c>GET /metrics</c> in Prometheus text).
/// </summary>
public static class MessengerMetrics
{
    public const string MeterName = "Messenger";

    private static readonly Meter Meter = new(MeterName, "1.0");

    // Bucket bounds are advice the OpenTelemetry SDK honours; they span what this workload sees.
    private static readonly double[] MillisecondBounds = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];
    private static readonly int[] RowBounds = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096];

    /// <summary>Sends answered <c>sent</c> to the client (HTTP 200 or the WebSocket <c>sent</c> frame).</summary>
    public static readonly Counter<long> MessagesAcknowledged =
        Meter.CreateCounter<long>("messenger.messages.acknowledged", "{message}", "Sends acknowledged to the client as durable");

    /// <summary>From the send reaching the edge to its acknowledgement leaving it.</summary>
    public static readonly Histogram<double> SendDuration = Meter.CreateHistogram("messenger.send.duration", "ms",
        "Send to acknowledgement at the edge", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MillisecondBounds });

    /// <summary>Rows one journal transaction wrote (group commit: every inbox's writes of one batch).</summary>
    public static readonly Histogram<int> JournalBatchRows = Meter.CreateHistogram("messenger.journal.batch.rows", "{row}",
        "Rows written per journal transaction", tags: null, advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = RowBounds });

    /// <summary>One journal transaction, from its first statement to the end of its commit.</summary>
    public static readonly Histogram<double> JournalCommitDuration = Meter.CreateHistogram("messenger.journal.commit.duration", "ms",
        "Journal transaction time including commit", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MillisecondBounds });

    /// <summary>
    /// Client WebSockets open on this edge node: +1 once accepted, -1 when closed. (Kestrel's
    /// <c>kestrel.upgraded_connections</c> shows the same from the transport's side.)
    /// </summary>
    public static readonly UpDownCounter<long> Connections =
        Meter.CreateUpDownCounter<long>("messenger.connections", "{connection}", "Client WebSockets open");

    /// <summary>User inboxes started on this node (first message after passivation, rebalance or restart).</summary>
    public static readonly Counter<long> InboxActivations =
        Meter.CreateCounter<long>("messenger.inbox.activations", "{inbox}", "User inboxes started");

    /// <summary>Inbox recoveries completed (snapshot plus replayed events applied).</summary>
    public static readonly Counter<long> InboxRecoveries =
        Meter.CreateCounter<long>("messenger.inbox.recoveries", "{inbox}", "User inbox recoveries completed");

    /// <summary>From an inbox's start to its recovery completing: what the first request after activation waits for.</summary>
    public static readonly Histogram<double> InboxRecoveryDuration = Meter.CreateHistogram("messenger.inbox.recovery.duration", "ms",
        "User inbox recovery time", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MillisecondBounds });

    /// <summary>Requests answered with a contract error code, tagged <c>code</c> (rate_limited, unavailable, ...).</summary>
    public static readonly Counter<long> Rejections =
        Meter.CreateCounter<long>("messenger.rejections", "{request}", "Requests refused, by contract error code");

    /// <summary>Records one acknowledged send that reached the edge at <paramref name="startedTimestamp"/> (Stopwatch).</summary>
    public static void Acknowledged(long startedTimestamp)
    {
        MessagesAcknowledged.Add(1);
        SendDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalMilliseconds);
    }

    /// <summary>Records one journal transaction of <paramref name="rows"/> rows that started at <paramref name="startedTimestamp"/>.</summary>
    public static void JournalCommitted(int rows, long startedTimestamp)
    {
        JournalBatchRows.Record(rows);
        JournalCommitDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalMilliseconds);
    }

    /// <summary>Records an inbox whose recovery started at <paramref name="startedTimestamp"/> and has just completed.</summary>
    public static void InboxRecovered(long startedTimestamp)
    {
        InboxRecoveries.Add(1);
        InboxRecoveryDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalMilliseconds);
    }

    public static void Rejected(string code) => Rejections.Add(1, new KeyValuePair<string, object?>("code", code));
}
