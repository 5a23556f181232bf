namespace Messenger.Bench;

/// <summary>A signed-up user and the devices (WebSocket connections) it runs.</summary>
public sealed class BenchUser(int index, string name, string token)
{
    public int Index { get; } = index;
    public string Name { get; } = name;
    public string Token { get; } = token;
    public List<BenchConnection> Connections { get; } = new();

    /// <summary>
    /// Bit d set while device d is connected: "delivered to all devices" means all devices that are
    /// actually up, so one failed connect does not turn every message into a partial delivery.
    /// </summary>
    public long LiveDevices;
}
