using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Messenger.Bench;

/// <summary>
/// Heap snapshot of the server with <c>dotnet-gcdump</c> (a dotnet tool: <c>dotnet tool install -g dotnet-gcdump</c>)
/// while the idle connections are still open, plus its type report beside it (<c>FILE.txt</c>): what a connection
/// and an activated inbox hold. Open the .gcdump in Visual Studio or PerfView for the reference graph.
/// </summary>
public static partial class GcDump
{
    /// <summary>Snapshot and type report; the report's text, or null when the tool is missing or failed.</summary>
    public static async Task<string?> CollectAsync(int pid, string file, CancellationToken ct)
    {
        var tool = FindTool();
        if (tool is null)
        {
            Console.Error.WriteLine("warning: dotnet-gcdump not found (dotnet tool install -g dotnet-gcdump); no heap snapshot");
            return null;
        }
        file = Path.GetFullPath(file);
        Console.Error.WriteLine($"heap snapshot of {pid} -> {file}");
        var (collected, _) = await RunAsync(tool, ["collect", "-p", pid.ToString(), "-o", file], ct).ConfigureAwait(false);
        if (!collected || !File.Exists(file)) return null;
        var (reported, report) = await RunAsync(tool, ["report", file], ct).ConfigureAwait(false);
        if (!reported) return null;
        await File.WriteAllTextAsync(file + ".txt", report, ct).ConfigureAwait(false);
        return report;
    }

    /// <summary>
    /// What the heap gained per connection, by type, between two reports (before the sockets opened, with them
    /// open): the top <paramref name="top"/> types, printed and written to <paramref name="file"/>.
    /// </summary>
    public static JsonArray PerConnection(string before, string after, int connections, string file, int top = 25)
    {
        var b = ByType(before);
        var rows = ByType(after)
            .Select(kv => (Type: kv.Key, Bytes: kv.Value.Bytes - b.GetValueOrDefault(kv.Key).Bytes, Count: kv.Value.Count - b.GetValueOrDefault(kv.Key).Count))
            .Where(r => r.Bytes > 0)
            .OrderByDescending(r => r.Bytes)
            .Take(top)
            .ToList();
        var lines = rows.Select(r => $"{r.Bytes / (double)connections,10:F1} B {r.Count / (double)connections,8:F2} objects  {r.Type}").ToList();
        long total = ByType(after).Values.Sum(v => v.Bytes) - b.Values.Sum(v => v.Bytes);
        lines.Insert(0, $"managed heap growth per connection ({connections} connections): {total / (double)connections:F0} B in all; by type:");
        File.WriteAllLines(file, lines);
        foreach (var line in lines) Console.Error.WriteLine("  " + line);
        var json = new JsonArray();
        foreach (var r in rows.Take(10))
            json.Add(new JsonObject { ["type"] = r.Type, ["bytes"] = Math.Round(r.Bytes / (double)connections, 1), ["objects"] = Math.Round(r.Count / (double)connections, 2) });
        return json;
    }

    /// <summary>Report lines "size count Type (Bytes > 1K) [assembly]" (size is per object) summed per type.</summary>
    private static Dictionary<string, (long Bytes, long Count)> ByType(string report)
    {
        var types = new Dictionary<string, (long Bytes, long Count)>(StringComparer.Ordinal);
        foreach (var line in report.Split('\n'))
        {
            var m = ReportLine().Match(line);
            if (!m.Success) continue;
            long count = long.Parse(m.Groups["count"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            long bytes = count * long.Parse(m.Groups["bytes"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            var type = m.Groups["type"].Value.Trim();
            var sum = types.GetValueOrDefault(type);
            types[type] = (sum.Bytes + bytes, sum.Count + count);
        }
        return types;
    }

    [GeneratedRegex(@"^\s*(?<bytes>[\d,]+)\s+(?<count>[\d,]+)\s+(?<type>.+?)(\s+\(Bytes > [\d.]+[KM]?\))?\s+\[[^\]]+\]\s*$")]
    private static partial Regex ReportLine();

    private static string? FindTool()
    {
        var home = Environment.GetEnvironmentVariable("HOME") ?? "";
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(home, ".dotnet", "tools"))
            .Select(dir => Path.Combine(dir, "dotnet-gcdump"));
        return candidates.FirstOrDefault(File.Exists);
    }

    private static async Task<(bool Ok, string Output)> RunAsync(string tool, string[] args, CancellationToken ct)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        string output = await stdout.ConfigureAwait(false);
        if (process.ExitCode != 0) Console.Error.WriteLine($"dotnet-gcdump {args[0]} failed ({process.ExitCode}): {await stderr.ConfigureAwait(false)}");
        return (process.ExitCode == 0, output);
    }
}
