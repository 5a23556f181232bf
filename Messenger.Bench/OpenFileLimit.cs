using System.Globalization;

namespace Messenger.Bench;

/// <summary>
/// Every WebSocket is a file descriptor: warns before a run that needs more sockets than this process may open
/// (<c>ulimit -n</c>, "Max open files" in /proc/self/limits), instead of failing thousands of connects one by one.
/// </summary>
public static class OpenFileLimit
{
    // Files the runtime, the HTTP pool and the bench already hold besides the sockets.
    private const int Reserve = 200;

    public static void Warn(int sockets)
    {
        if (Read() is not { } limit || sockets + Reserve <= limit) return;
        Console.Error.WriteLine($"warning: {sockets} sockets need about {sockets + Reserve} open files but this process may open {limit} " +
                                "(ulimit -n); connects past it fail as connect_failed");
    }

    /// <summary>The soft limit, or null where /proc/self/limits is not there (not Linux) or says unlimited.</summary>
    public static long? Read()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/limits"))
            {
                if (!line.StartsWith("Max open files", StringComparison.Ordinal)) continue;
                var parts = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length > 0 && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long soft) ? soft : null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }
}
