using System.Globalization;

namespace Messenger.Bench;

/// <summary>
/// A scrape of the server's <c>GET /metrics</c> (Prometheus text format): sample lines summed by metric name and
/// label filter. Enough for the counters and gauges the bench reads; comments and timestamps are ignored.
/// </summary>
public sealed class PrometheusText
{
    private readonly List<(string Name, string Labels, double Value)> _samples = new();

    public long TakenTs { get; }

    private PrometheusText(long takenTs) => TakenTs = takenTs;

    public static PrometheusText Parse(string text, long takenTs)
    {
        var scrape = new PrometheusText(takenTs);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#') continue;
            int brace = line.IndexOf('{');
            int close = brace >= 0 ? line.LastIndexOf('}') : -1;
            string name, labels, rest;
            if (brace >= 0 && close > brace)
            {
                name = line[..brace];
                labels = line[(brace + 1)..close];
                rest = line[(close + 1)..];
            }
            else
            {
                int space = line.IndexOf(' ');
                if (space <= 0) continue;
                name = line[..space];
                labels = "";
                rest = line[space..];
            }
            var parts = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double value)) continue;
            scrape._samples.Add((name, labels, value));
        }
        return scrape;
    }

    public bool Has(string name) => _samples.Exists(s => s.Name == name);

    /// <summary>Sum over the series of <paramref name="name"/> whose labels contain every <c>key="value"</c> given; null when none.</summary>
    public double? Sum(string name, params string[] labelFilters)
    {
        double sum = 0;
        bool any = false;
        foreach (var s in _samples)
        {
            if (s.Name != name || !labelFilters.All(f => s.Labels.Contains(f, StringComparison.Ordinal))) continue;
            sum += s.Value;
            any = true;
        }
        return any ? sum : null;
    }

    /// <summary>Values of one label across the series of <paramref name="name"/>, summed per label value.</summary>
    public SortedDictionary<string, double> ByLabel(string name, string label)
    {
        var result = new SortedDictionary<string, double>(StringComparer.Ordinal);
        string prefix = label + "=\"";
        foreach (var s in _samples)
        {
            if (s.Name != name) continue;
            int at = s.Labels.IndexOf(prefix, StringComparison.Ordinal);
            if (at < 0) continue;
            int start = at + prefix.Length;
            int end = s.Labels.IndexOf('"', start);
            if (end < 0) continue;
            var key = s.Labels[start..end];
            result[key] = result.GetValueOrDefault(key) + s.Value;
        }
        return result;
    }
}
