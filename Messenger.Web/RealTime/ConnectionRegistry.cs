namespace Messenger.Web.RealTime;

/// <summary>Counts open WebSockets and refuses past the configured limit (the process's file limit is 20,000).</summary>
public sealed class ConnectionRegistry(int maxConnections)
{
    private int _open;

    public int Open => Volatile.Read(ref _open);

    public bool TryOpen()
    {
        if (Interlocked.Increment(ref _open) <= maxConnections) return true;
        Interlocked.Decrement(ref _open);
        return false;
    }

    public void Close() => Interlocked.Decrement(ref _open);
}
