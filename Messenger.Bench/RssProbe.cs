using System.Globalization;

namespace Messenger.Bench;

/// <summary>Server memory sample. Rss comes from /proc when a pid is given, else from GET /metrics.</summary>
public sealed record RssSample(long RssBytes, string Source, long? ManagedBytes, int? ServerConnections);

public static class RssProbe
{
    public static async Task<RssSample?> SampleAsync(int? pid, ApiClient api, CancellationToken ct)
    {
        // /metrics is still useful next to /proc for the managed heap and the server's count of open WebSockets.
        var metrics = await api.GetMetricsAsync(ct).ConfigureAwait(false);
        long? managed = (long?)metrics?.Sum("dotnet_gc_last_collection_heap_size_bytes");
        int? sockets = (int?)(metrics?.Sum("messenger_connections") ?? metrics?.Sum("kestrel_upgraded_connections"));
        if (pid is { } p)
        {
            long? rss = ReadProcRss(p);
            return rss is null ? null : new RssSample(rss.Value, $"/proc/{p}/status", managed, sockets);
        }
        return metrics?.Sum("dotnet_process_memory_working_set_bytes") is { } workingSet and > 0
            ? new RssSample((long)workingSet, "/metrics", managed, sockets)
            : null;
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
