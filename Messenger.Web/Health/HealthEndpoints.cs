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

/// <summary>Liveness, readiness (cluster joined, shards placed, journal can store) (metrics are in Metrics/MetricsSetup).</summary>
public static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => Results.Ok(new { status = "alive" }))
            .Describe("Live", "200 while the process serves", "health").Answers<OpenApiShapes.HealthStatus>();
        app.MapGet("/health/ready", Ready)
            .Describe("Ready", "200 once the cluster is joined, shards are placed and the journal can store", "health")
            .Answers<OpenApiShapes.HealthStatus>().Produces<OpenApiShapes.NotReady>(503, OpenApiMetadata.Json);
        app.MapGet("/health/shards", Shards)
            .Describe("Shards", "Which host holds which inbox shards", "health").AnswersEmpty(200)
            .Produces<OpenApiShapes.NotReady>(503, OpenApiMetadata.Json);
    }

    /// <summary>
    /// Which shard host holds which inbox shards (an inbox's shard is a hash of its user id): for an operator who sees one
    /// host's users unavailable, and for tests that need to know whose inbox a host holds. 503 when the coordinator does
    /// not answer within 3 s.
    /// </summary>
    private static async Task<IResult> Shards(InboxRegion inboxes, HttpContext http, CancellationToken ct)
    {
        try
        {
            var region = await inboxes.GetAsync(ct);
            var stats = await region.Ask<ClusterShardingStats>(
                new GetClusterShardingStats(TimeSpan.FromSeconds(3)), TimeSpan.FromSeconds(4), ct);
            return Results.Ok(new
            {
                hosts = stats.Regions.OrderBy(r => r.Key.ToString()).Select(r => new
                {
                    address = r.Key.ToString(),
                    shards = r.Value.Stats.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList(),
                }),
            });
        }
        catch (Exception e) when (e is AskTimeoutException or OperationCanceledException)
        {
            http.Response.Headers.RetryAfter = "1";
            return Results.Json(new { code = "unavailable", message = "the shard coordinator did not answer in time" }, statusCode: 503);
        }
    }

    private static async Task<IResult> Ready(ActorSystem system, InboxRegion inboxes, JournalProbe journal, HttpContext http, CancellationToken ct)
    {
        var problems = new List<string>();
        if (Cluster.Get(system).SelfMember.Status != MemberStatus.Up) problems.Add("not an Up cluster member yet");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            var region = await inboxes.GetAsync(timeout.Token);
            var regions = await region.Ask<CurrentRegions>(GetCurrentRegions.Instance, TimeSpan.FromSeconds(3), timeout.Token);
            if (regions.Regions.Count == 0) problems.Add("no shard host in the cluster");
        }
        catch (Exception e)
        {
            problems.Add("shards unreachable: " + e.GetType().Name);
        }
        // A real write (committed like every event), not a connection: 200 only once the node can store again.
        if (journal.Check is not null)
        {
            try
            {
                await journal.Check(timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                problems.Add("journal cannot store: no commit within 3 s");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                problems.Add("journal cannot store: " + e.Message);
            }
        }
        if (problems.Count == 0) return Results.Ok(new { status = "ready" });
        http.Response.Headers.RetryAfter = "1";
        return Results.Json(new { code = "unavailable", message = "not ready: " + string.Join("; ", problems), status = "not_ready", problems },
            statusCode: 503);
    }
}
