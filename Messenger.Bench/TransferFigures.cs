using System.Globalization;
using System.Text.Json.Nodes;

namespace Messenger.Bench;

/// <summary>One upload or download: the bytes counted on the wire side of the bench and the time it took.</summary>
public readonly record struct TransferSample(long Bytes, double Seconds)
{
    public const double MiB = 1024 * 1024;

    /// <summary>MiB/s of this one transfer; null when no time was measured.</summary>
    public double? MiBPerSecond => Seconds > 0 ? Bytes / MiB / Seconds : null;
}

/// <summary>
/// The transfer mode's figures: per direction, the overall rate (all bytes over all time, so a slow round weighs
/// what it cost), the median and the best round. Any failure (status, size or hash) makes the exit code 1. Pure.
/// </summary>
public sealed record TransferFigures(long FileBytes, IReadOnlyList<TransferSample> Uploads, IReadOnlyList<TransferSample> Downloads,
    IReadOnlyList<string> Failures)
{
    public static double? Overall(IReadOnlyList<TransferSample> samples)
    {
        var seconds = samples.Sum(s => s.Seconds);
        return seconds > 0 ? Round(samples.Sum(s => s.Bytes) / TransferSample.MiB / seconds) : null;
    }

    public static double? Median(IReadOnlyList<TransferSample> samples)
    {
        var rates = samples.Select(s => s.MiBPerSecond).OfType<double>().Order().ToList();
        if (rates.Count == 0) return null;
        var middle = rates.Count / 2;
        return Round(rates.Count % 2 == 1 ? rates[middle] : (rates[middle - 1] + rates[middle]) / 2);
    }

    public static double? Best(IReadOnlyList<TransferSample> samples) =>
        samples.Select(s => s.MiBPerSecond).OfType<double>().DefaultIfEmpty().Max() is var best and > 0 ? Round(best) : null;

    public int ExitCode => Failures.Count == 0 && Uploads.Count > 0 && Downloads.Count > 0 ? 0 : 1;

    public JsonObject ToJson() => new()
    {
        ["mode"] = "transfer",
        ["fileBytes"] = FileBytes,
        ["rounds"] = Math.Max(Uploads.Count, Downloads.Count),
        ["uploadMiBPerSec"] = Overall(Uploads),
        ["downloadMiBPerSec"] = Overall(Downloads),
        ["upload"] = Direction(Uploads),
        ["download"] = Direction(Downloads),
        ["failures"] = new JsonArray(Failures.Select(f => (JsonNode)JsonValue.Create(f)).ToArray()),
    };

    public void WriteHumanSummary(TextWriter w)
    {
        w.WriteLine();
        w.WriteLine($"== transfer mode, {FileBytes / TransferSample.MiB:0.##} MiB file ==");
        w.WriteLine($"upload:   {Fmt(Overall(Uploads))} MiB/s over {Uploads.Count} rounds (median {Fmt(Median(Uploads))}, best {Fmt(Best(Uploads))})");
        w.WriteLine($"download: {Fmt(Overall(Downloads))} MiB/s over {Downloads.Count} rounds (median {Fmt(Median(Downloads))}, best {Fmt(Best(Downloads))})");
        w.WriteLine(Failures.Count == 0 ? "every round verified (size and sha256)" : "failures: " + string.Join("; ", Failures));
    }

    private static JsonObject Direction(IReadOnlyList<TransferSample> samples) => new()
    {
        ["medianMiBPerSec"] = Median(samples),
        ["bestMiBPerSec"] = Best(samples),
        ["seconds"] = new JsonArray(samples.Select(s => (JsonNode)JsonValue.Create(Math.Round(s.Seconds, 4))).ToArray()),
    };

    private static double Round(double v) => Math.Round(v, 2);

    private static string Fmt(double? v) => v?.ToString("0.##", CultureInfo.InvariantCulture) ?? "n/a";
}
