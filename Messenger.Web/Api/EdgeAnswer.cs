namespace Messenger.Web.Api;

/// <summary>A refusal in the contract's terms: its code, a human message and, for load refusals, when to retry.</summary>
public sealed record EdgeError(string Code, string Message, TimeSpan? RetryAfter = null);

/// <summary>What the gateway answers: a value or an <see cref="EdgeError"/>; endpoints and the bridge only render it.</summary>
public readonly record struct EdgeAnswer<T>(T? Value, EdgeError? Error) where T : class
{
    public static implicit operator EdgeAnswer<T>(T value) => new(value, null);
    public static implicit operator EdgeAnswer<T>(EdgeError error) => new(null, error);
}

/// <summary>How long the edge waits for the actors: a little longer than the send saga's own deadline.</summary>
public sealed record EdgeTimeouts(TimeSpan Send, TimeSpan Query);

/// <summary>
/// The inbox shard region (or its proxy), handed in by the composition root so the edge needs no reference to the
/// node's hosting types.
/// </summary>
public sealed class InboxRegion(Func<CancellationToken, Task<Akka.Actor.IActorRef>> resolve)
{
    private Akka.Actor.IActorRef? _region;

    public async ValueTask<Akka.Actor.IActorRef> GetAsync(CancellationToken ct) => _region ??= await resolve(ct);
}
