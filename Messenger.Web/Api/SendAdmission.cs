namespace Messenger.Web.Api;

/// <summary>
/// Sends in flight on this web node. Past the limit a send is answered <c>unavailable</c> at once instead of joining
/// a queue it would time out in: under overload the node keeps acknowledging what it can instead of timing out
/// everything (the client retries later with the same clientMessageId).
/// </summary>
public sealed class SendAdmission(int maxInFlight)
{
    private int _inFlight;

    public const string BusyMessage = "the messenger is busy; retry with the same clientMessageId";

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _inFlight) <= maxInFlight) return true;
        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _inFlight);
}
