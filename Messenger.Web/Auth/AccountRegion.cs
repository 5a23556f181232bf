namespace Messenger.Web.Auth;

/// <summary>
/// The account shard region (or its proxy), handed in by the composition root like <see cref="Api.InboxRegion"/>, so
/// the edge needs no reference to the node's hosting types.
/// </summary>
public sealed class AccountRegion(Func<CancellationToken, Task<Akka.Actor.IActorRef>> resolve)
{
    private Akka.Actor.IActorRef? _region;

    public async ValueTask<Akka.Actor.IActorRef> GetAsync(CancellationToken ct = default) => _region ??= await resolve(ct);
}
