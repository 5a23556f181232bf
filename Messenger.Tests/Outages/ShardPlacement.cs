using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Messenger.Messages.Users;
using Messenger.Node.Hosting;

namespace Messenger.Tests.Outages;

/// <summary>
/// Which shard host holds each user's inbox, from the web node's <c>GET /health/shards</c> and the inbox shard of a
/// user id (the node's own extractor, default 100 shards).
/// </summary>
public sealed class ShardPlacement
{
    private static readonly UserInboxExtractor Extractor = new(new MessengerOptions().Cluster.Shards);
    private readonly Dictionary<string, int> _portOfShard;

    private ShardPlacement(Dictionary<string, int> portOfShard) => _portOfShard = portOfShard;

    public static async Task<ShardPlacement> ReadAsync(Uri web)
    {
        using var http = new HttpClient { BaseAddress = web, Timeout = TimeSpan.FromSeconds(10) };
        var body = await http.GetFromJsonAsync<JsonObject>("/health/shards") ?? throw new InvalidOperationException("no body");
        var portOfShard = new Dictionary<string, int>();
        foreach (var host in body["hosts"]!.AsArray())
        {
            var port = new Uri(((string)host!["address"]!).Replace("akka.tcp://", "tcp://")).Port;
            foreach (var shard in host["shards"]!.AsArray()) portOfShard[(string)shard!] = port;
        }
        return new ShardPlacement(portOfShard);
    }

    public static string ShardOf(string userId) => Extractor.ShardId(userId, new UserQueries.GetConversations(userId, 0, 1));

    /// <summary>The Akka port of the host holding <paramref name="userId"/>'s inbox; null while its shard is not placed.</summary>
    public int? HostPortOf(string userId) => _portOfShard.TryGetValue(ShardOf(userId), out var port) ? port : null;

    public bool SameAs(ShardPlacement other) =>
        _portOfShard.Count == other._portOfShard.Count && _portOfShard.All(p => other._portOfShard.GetValueOrDefault(p.Key) == p.Value);
}
