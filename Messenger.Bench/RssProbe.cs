using System.Globalization;

namespace Messenger.Bench;

/// <summary>Server memory sample. Rss comes from /proc when a pid is given, else from GET /metrics.</summary>
public sealed record RssSample(long RssBytes, string Source, long? ManagedBytes, int? ServerConnections);

public static class RssProbe
{
    public static async Task<RssSample?> SampleAsync(int? pid, ApiClient api, string? token, CancellationToken ct)
    {
        // /metrics is still useful next to /proc for managed heap size and the server's connection count.
        var metrics = await api.GetMetricsAsync(token, ct).ConfigureAwait(false);
        if (pid is { } p)
        {
            long? rss = ReadProcRss(p);
            return rss is null ? null : new RssSample(rss.Value, $"/proc/{p}/status", metrics?.ManagedBytes, metrics?.Connections);
        }
        if (metrics is null || metrics.RssBytes <= 0) return null;
        return new RssSample(metrics.RssBytes, "/metrics", metrics.ManagedBytes, metrics.Connections);
    }

    /// <summary>VmRSS from /proc/PID/status, in bytes; null if the process or the field is missing.</summary>
    public static long? ReadProcRss(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
                // Format: "VmRSS:\t  123456 kB"
                var parts = line["VmRSS:".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 1 && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long kb))
                    return kb * 1024;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }
}
