using System.Text.Json.Nodes;

namespace Messenger.Bench;

/// <summary>
/// The GC settings the server process was started with (DOTNET_gcServer, DOTNET_GCDynamicAdaptationMode, ...), read
/// from /proc/PID/environ, so a result says which GC it measured. Empty when none is set: the runtimeconfig
/// default then applies (workstation, concurrent, per Directory.Build.props).
/// </summary>
public static class ServerGcSettings
{
    public static JsonObject Read(int pid)
    {
        var settings = new JsonObject();
        try
        {
            foreach (var entry in File.ReadAllText($"/proc/{pid}/environ").Split('\0'))
            {
                int eq = entry.IndexOf('=');
                if (eq <= 0) continue;
                var name = entry[..eq];
                if (name.StartsWith("DOTNET_gc", StringComparison.OrdinalIgnoreCase) || name.StartsWith("DOTNET_GC", StringComparison.Ordinal) ||
                    name.StartsWith("COMPlus_gc", StringComparison.OrdinalIgnoreCase))
                    settings[name] = entry[(eq + 1)..];
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            settings["unreadable"] = true;
        }
        return settings;
    }
}
