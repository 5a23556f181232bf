using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Messenger.Web.Api;
using Messenger.Web.RealTime;

namespace Messenger.Web.Health;

/// <summary>
/// What readiness checks beyond the cluster: the journal, on a node that hosts shards (null on a web-only node).
/// Handed in by the composition root, so the edge needs nothing of the node's storage types.
/// </summary>
public sealed record JournalProbe(Func<CancellationToken, Task>? Check);

/// <summary>Liveness, readiness (cluster joined, shards placed, journal reachable) (metrics are in Metrics/MetricsSetup).</summary>
public static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => Results.Ok(new { status = "alive" }));
        app.MapGet("/health/ready", Ready);
    }

    private static async Task<IResult> Ready(ActorSystem system, InboxRegion inboxes, JournalProbe journal, CancellationToken ct)
    {
        var problems = new List<string>();
        if (Cluster.Get(system).SelfMember.Status != MemberStatus.Up) problems.Add("not an Up cluster member yet");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            var region = await inboxes.GetAsync(timeout.Token);
            var regions = await region.Ask<CurrentRegions>(GetCurrentRegions.Instance, TimeSpan.FromSeconds(3), timeout.Token);
            if (regions.Regions.Count == 0) problems.Add("no shard host in the cluster");
            if (journal.Check is not null) await journal.Check(timeout.Token);
        }
        catch (Exception e)
        {
            problems.Add("shards or journal unreachable: " + e.GetType().Name);
        }
        return problems.Count == 0
            ? Results.Ok(new { status = "ready" })
            : Results.Json(new { code = "unavailable", message = "not ready: " + string.Join("; ", problems), status = "not_ready", problems },
                statusCode: 503);
    }
}
