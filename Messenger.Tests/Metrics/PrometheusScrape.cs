using System.Globalization;
using System.Text.RegularExpressions;

namespace Messenger.Tests.Metrics;

/// <summary>One sample line of a Prometheus text scrape: <c>name{label="value",...} number</c>.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>Reads <c>GET /metrics</c> (Prometheus text format 0.0.4) into samples.</summary>
public sealed partial class PrometheusScrape(string contentType, IReadOnlyList<PrometheusSample> samples)
{
    public string ContentType { get; } = contentType;
    public IReadOnlyList<PrometheusSample> Samples { get; } = samples;

    public static async Task<PrometheusScrape> GetAsync(Uri baseUrl)
    {
        using var http = new HttpClient { BaseAddress = baseUrl };
        using var response = await http.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync();
        return new PrometheusScrape(response.Content.Headers.ContentType?.ToString() ?? "", Parse(text));
    }

    public static List<PrometheusSample> Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var m = SampleLine().Match(line);
            if (!m.Success) throw new FormatException($"not a Prometheus sample line: {line}");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match l in Label().Matches(m.Groups["labels"].Value)) labels[l.Groups[1].Value] = l.Groups[2].Value;
            samples.Add(new PrometheusSample(m.Groups["name"].Value, labels,
                double.Parse(m.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture)));
        }
        return samples;
    }

    /// <summary>Sum of every series of <paramref name="name"/> whose labels include <paramref name="labels"/>; null when none.</summary>
    public double? Sum(string name, params (string Key, string Value)[] labels)
    {
        var matching = Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).ToList();
        return matching.Count == 0 ? null : matching.Sum(s => s.Value);
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?""")]
    private static partial Regex Label();
}
