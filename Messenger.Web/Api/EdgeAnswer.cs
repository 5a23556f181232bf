namespace Messenger.Web.Api;

/// <summary>A refusal in the contract's terms: its code, a human message and, for load refusals, when to retry.</summary>
public sealed record EdgeError(string Code, string Message, TimeSpan? RetryAfter = null);

/// <summary>What the gateway answers: a value or an <see cref="EdgeError"/>; endpoints and the bridge only render it.</summary>
public readonly record struct EdgeAnswer<T>(T? Value, EdgeError? Error) where T : class
{
    public static implicit operator EdgeAnswer<T>(T value) => new(value, null);
    public static implicit operator EdgeAnswer<T>(EdgeError error) => new(null, error);
}

/// <summary>
/// How long the edge waits for the actors: <paramref name="Send"/> and <paramref name="Query"/> are the contract's send
/// deadline (every request is answered by then, <c>unavailable</c> at the latest); <paramref name="InboxSend"/> is the
/// inbox saga's own, shorter deadline, so an ask sent again must leave it room to end before the edge's.
/// </summary>
public sealed record EdgeTimeouts(TimeSpan Send, TimeSpan Query, TimeSpan InboxSend)
{
    /// <summary>The inbox's answer crossing the cluster and the edge rendering it.</summary>
    public static readonly TimeSpan ReplyMargin = TimeSpan.FromMilliseconds(250);

    /// <summary>A fast <c>unavailable</c> (an inbox that stopped mid-send) is asked again only while this much is left.</summary>
    public TimeSpan MinimumForRetry => InboxSend + ReplyMargin;
}

/// <summary>
/// The inbox shard region (or its proxy), handed in by the composition root so the edge needs no reference to the
/// node's hosting types.
/// </summary>
public sealed class InboxRegion(Func<CancellationToken, Task<Akka.Actor.IActorRef>> resolve)
{
    private Akka.Actor.IActorRef? _region;

    public async ValueTask<Akka.Actor.IActorRef> GetAsync(CancellationToken ct) => _region ??= await resolve(ct);
}
