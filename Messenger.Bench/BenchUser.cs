namespace Messenger.Bench;

/// <summary>A signed-up user and the devices (WebSocket connections) it runs.</summary>
public sealed class BenchUser(int index, string name, string token)
{
    public int Index { get; } = index;
    public string Name { get; } = name;
    public string Token { get; } = token;
    public List<BenchConnection> Connections { get; } = new();
}
