using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Cluster;

/// <summary>
/// A cluster of Messenger processes on 127.0.0.1 against a fresh database of the shared throwaway PostgreSQL,
/// configured only through the documented Messenger:* settings (no signing key: nodes share one via the database).
/// The first shard host started is the seed node. Logs go to a temp directory; on dispose the processes are killed
/// and the logs removed (set MESSENGER_KEEP_LOGS=1 to keep them).
/// </summary>
public sealed class ClusterHarness : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly ITestOutputHelper _output;
    private readonly List<NodeProcess> _nodes = new();

    private ClusterHarness(ITestOutputHelper output, string connectionString, string logDir)
    {
        _output = output;
        ConnectionString = connectionString;
        LogDir = logDir;
    }

    public string ConnectionString { get; }
    public string LogDir { get; }
    public string? Seed { get; private set; }
    public IReadOnlyList<NodeProcess> Nodes => _nodes;

    public static async Task<ClusterHarness> CreateAsync(PostgresServer postgres, ITestOutputHelper output, string name)
    {
        var connectionString = await postgres.CreateDatabaseAsync(name);
        var harness = new ClusterHarness(output, connectionString, TempDirs.Create($"messenger-{name}-logs"));
        output.WriteLine($"cluster logs: {harness.LogDir}");
        return harness;
    }

    /// <summary>Arguments every node gets: exactly the documented configuration names.</summary>
    private IEnumerable<string> CommonArgs(int akkaPort, string? roles, IEnumerable<string> extra)
    {
        var args = new List<string>
        {
            "--Messenger:Journal", "postgresql",
            "--Messenger:ConnectionString", ConnectionString,
            "--Messenger:Cluster:Hostname", "127.0.0.1",
            "--Messenger:Cluster:Port", akkaPort.ToString(),
            "--Messenger:Cluster:SeedNodes", Seed!,
        };
        if (roles is not null) args.AddRange(["--Messenger:Cluster:Roles", roles]);
        args.AddRange(extra);
        return args;
    }

    /// <summary><c>dotnet Messenger.Node.dll</c>: a headless shard host. The first one founds the cluster.</summary>
    public NodeProcess StartShardHost(string name, params string[] extra)
    {
        var port = MessengerServer.FreePort();
        Seed ??= $"127.0.0.1:{port}";
        var node = NodeProcess.StartShardHost(name, LogDir, port, CommonArgs(port, null, extra));
        _nodes.Add(node);
        _output.WriteLine($"{name}: Messenger.Node pid {node.Pid}, akka 127.0.0.1:{port}");
        return node;
    }

    /// <summary><c>dotnet Messenger.Web.dll --urls ...</c>, web-only by default (reaches entities through proxies).</summary>
    public NodeProcess StartWeb(string name, string roles = "web", params string[] extra)
    {
        if (Seed is null) throw new InvalidOperationException("start a shard host first: it is the seed node");
        var port = MessengerServer.FreePort();
        var node = NodeProcess.StartWeb(name, LogDir, port, CommonArgs(port, roles, extra));
        _nodes.Add(node);
        _output.WriteLine($"{name}: Messenger.Web ({roles}) pid {node.Pid}, akka 127.0.0.1:{port}, http {node.BaseUrl}");
        return node;
    }

    /// <summary>Two shard hosts (<c>shard-a</c> founds the cluster) and a web-only node; every node Up and the web node ready.</summary>
    public async Task<(NodeProcess A, NodeProcess B, NodeProcess Web)> StartTwoShardHostsAndWebAsync()
    {
        var a = StartShardHost("shard-a");
        await WaitUpAsync(a);
        var b = StartShardHost("shard-b");
        var web = StartWeb("web");
        await WaitUpAsync(b);
        await WaitUpAsync(web);
        await web.WaitReadyAsync(StartTimeout);
        return (a, b, web);
    }

    /// <summary>One shard host and two web nodes, all Up and both web nodes ready: devices of one user on either.</summary>
    public async Task<(NodeProcess WebA, NodeProcess WebB)> StartTwoWebNodesAsync(string shardName = "shard-a")
    {
        var shard = StartShardHost(shardName);
        await WaitUpAsync(shard);
        var webA = StartWeb("web-a");
        var webB = StartWeb("web-b");
        await WaitUpAsync(webA);
        await WaitUpAsync(webB);
        await webA.WaitReadyAsync(StartTimeout);
        await webB.WaitReadyAsync(StartTimeout);
        return (webA, webB);
    }

    /// <summary>
    /// Waits until <paramref name="node"/> is an Up member: the cluster leader (the member with the lowest address,
    /// which can be any node) logs that it moved it to Up.
    /// </summary>
    public async Task WaitUpAsync(NodeProcess node)
    {
        var line = $"Leader is moving node [akka.tcp://messenger@127.0.0.1:{node.AkkaPort}] to [Up]";
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!_nodes.Any(n => n.ReadLog().Contains(line, StringComparison.Ordinal)))
        {
            if (node.HasExited) throw new InvalidOperationException($"{node.Name} exited; log: {node.LogPath}\n{node.Tail()}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{node.Name} did not become Up within {StartTimeout}");
            await Task.Delay(200); // polling interval of a bounded wait
        }
    }

    /// <summary>Writes the last lines of every node's log to the test output (call when a test fails).</summary>
    public void DumpLogs(int lines = 60)
    {
        foreach (var node in _nodes)
        {
            _output.WriteLine($"===== {node.Name} ({node.LogPath}) =====");
            try
            {
                _output.WriteLine(node.Tail(lines));
            }
            catch (Exception e)
            {
                _output.WriteLine($"(log unreadable: {e.Message})");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
        if (Environment.GetEnvironmentVariable("MESSENGER_KEEP_LOGS") != "1") TempDirs.TryDelete(LogDir);
    }
}
