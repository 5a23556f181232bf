namespace Messenger.Web.Api;

/// <summary>
/// The group shard region (or its proxy), handed in by the composition root like <see cref="InboxRegion"/>, so the
/// edge needs no reference to the node's hosting types. Resolved on first use.
/// </summary>
public sealed class GroupRegion(Func<CancellationToken, Task<Akka.Actor.IActorRef>> resolve)
{
    private Akka.Actor.IActorRef? _region;

    public async ValueTask<Akka.Actor.IActorRef> GetAsync(CancellationToken ct) => _region ??= await resolve(ct);
}
