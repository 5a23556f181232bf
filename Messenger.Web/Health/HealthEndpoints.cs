using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Messenger.Node.Hosting;
using Messenger.Node.Storage;

namespace Messenger.Web.Health;

/// <summary>Liveness, readiness (cluster joined, shards placed, journal reachable); metrics are in Metrics/MetricsSetup.</summary>
public static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => Results.Ok(new { status = "alive" }));
        app.MapGet("/health/ready", Ready);
    }

    private static async Task<IResult> Ready(ActorSystem system, IRequiredActor<UserInboxes> inboxes, MessengerOptions options,
        JournalDatabase database, CancellationToken ct)
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
            if (options.HasRole("shard"))
            {
                await using var connection = await database.OpenAsync(timeout.Token);
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT 1";
                await command.ExecuteScalarAsync(timeout.Token);
            }
        }
        catch (Exception e)
        {
            problems.Add("shards or journal unreachable: " + e.GetType().Name);
        }
        return problems.Count == 0
            ? Results.Ok(new { status = "ready" })
            : Results.Json(new { status = "not_ready", problems }, statusCode: 503);
    }
}
