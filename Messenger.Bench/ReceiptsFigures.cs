using System.Globalization;
using System.Text.Json.Nodes;

namespace Messenger.Bench;

/// <summary>
/// The receipts mode's figures from the two windows' counts: the closed loop's msgs/s without and with receipts (so
/// their cost shows as the ratio), acknowledged msgs/s (peer messages covered by a `received` frame), how many
/// messages one `received` frame covered (the client's coalescing), and the exit code. Pure: specs drive it directly.
/// </summary>
public sealed record ReceiptsFigures(PhaseSnapshot Plain, PhaseSnapshot Acknowledging)
{
    public static double? PerSecond(long count, double seconds) => seconds > 0 ? Math.Round(count / seconds, 1) : null;

    public double? PlainMsgsPerSec => PerSecond(Plain.Acked, Plain.Seconds);
    public double? MsgsPerSecWithReceipts => PerSecond(Acknowledging.Acked, Acknowledging.Seconds);
    public double? AcknowledgedPerSec => PerSecond(Acknowledging.Acknowledged, Acknowledging.Seconds);
    public double? ReceivedFramesPerSec => PerSecond(Acknowledging.ReceivedFrames, Acknowledging.Seconds);
    public double? ReceiptFramesPerSec => PerSecond(Acknowledging.ReceiptFrames, Acknowledging.Seconds);

    /// <summary>Closed-loop throughput with receipts as a share of the plain loop's (1.0 = receipts cost nothing).</summary>
    public double? Ratio => PlainMsgsPerSec is > 0 && MsgsPerSecWithReceipts is { } with ? Math.Round(with / PlainMsgsPerSec.Value, 3) : null;

    public double? MessagesPerReceivedFrame =>
        Acknowledging.ReceivedFrames > 0 ? Math.Round(Acknowledging.Acknowledged / (double)Acknowledging.ReceivedFrames, 2) : null;

    /// <summary>
    /// 0 when both loops moved and acknowledgements were sent and answered with receipts; 1 when a window
    /// acknowledged nothing, no `received` frame went out or no `receipt` came back (the server does not take them).
    /// </summary>
    public int ExitCode =>
        Plain.Acked > 0 && Acknowledging.Acked > 0 && Acknowledging.Acknowledged > 0 && Acknowledging.ReceiptFrames > 0 ? 0 : 1;

    public JsonObject ToJson(BenchOptions options, int connections) => new()
    {
        ["mode"] = "receipts",
        ["pairs"] = options.Pairs,
        ["devices"] = options.Devices,
        ["connections"] = connections,
        ["inflight"] = options.Inflight,
        ["bodyBytes"] = options.BodyBytes,
        ["closedMsgsPerSec"] = PlainMsgsPerSec,
        ["closedMsgsPerSecWithReceipts"] = MsgsPerSecWithReceipts,
        ["withReceiptsRatio"] = Ratio,
        ["acknowledgedMsgsPerSec"] = AcknowledgedPerSec,
        ["receivedFramesPerSec"] = ReceivedFramesPerSec,
        ["messagesPerReceivedFrame"] = MessagesPerReceivedFrame,
        ["receiptFramesPerSec"] = ReceiptFramesPerSec,
        ["plain"] = Window(Plain),
        ["withReceipts"] = Window(Acknowledging),
    };

    public void WriteHumanSummary(TextWriter w, int connections)
    {
        w.WriteLine();
        w.WriteLine($"== receipts mode, {connections} connections ==");
        w.WriteLine($"closed loop without receipts: {Fmt(PlainMsgsPerSec)} msgs/s ({Plain.Acked} acked in {Plain.Seconds:F1}s)");
        w.WriteLine($"closed loop with receipts:    {Fmt(MsgsPerSecWithReceipts)} msgs/s ({Acknowledging.Acked} acked in {Acknowledging.Seconds:F1}s), " +
                    $"ratio {Fmt(Ratio)}");
        w.WriteLine($"acknowledged (received):      {Fmt(AcknowledgedPerSec)} msgs/s in {Fmt(ReceivedFramesPerSec)} received frames/s " +
                    $"({Fmt(MessagesPerReceivedFrame)} messages per frame); {Fmt(ReceiptFramesPerSec)} receipt frames/s back");
        w.WriteLine($"errors without receipts: {Codes(Plain)}; with receipts: {Codes(Acknowledging)}");
    }

    private static JsonObject Window(PhaseSnapshot s) => new()
    {
        ["measuredSeconds"] = Math.Round(s.Seconds, 3),
        ["acked"] = s.Acked,
        ["delivered"] = s.Delivered,
        ["receivedFrames"] = s.ReceivedFrames,
        ["acknowledged"] = s.Acknowledged,
        ["receiptFrames"] = s.ReceiptFrames,
        ["errors"] = s.Errors,
        ["errorsByCode"] = new JsonObject((s.ErrorsByCode ?? []).Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
    };

    private static string Codes(PhaseSnapshot s) =>
        s.Errors == 0 ? "none" : string.Join(", ", (s.ErrorsByCode ?? []).Select(e => $"{e.Key}={e.Value}"));

    private static string Fmt(double? v) => v?.ToString("0.###", CultureInfo.InvariantCulture) ?? "n/a";
}
