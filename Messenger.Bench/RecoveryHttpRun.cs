using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Messenger.Bench;

/// <summary>
/// <c>--mode recovery-http</c>: the first history answer for a user with a long history after a real server
/// restart, as the user meets it. Starts Messenger.Web as a child process on a data dir, seeds one user with
/// <c>--messages</c> messages through the public API, then <c>--runs</c> times: SIGTERM, start again, answer another
/// user first (start-up, JIT and the shard region are warm then), and time the big user's first
/// <c>GET /api/conversations/{id}/messages</c> over HTTP, then the same request again.
/// A given <c>--data-dir</c> is kept and reused: seeding is skipped when it already holds the seeded users.
/// </summary>
public sealed class RecoveryHttpRun(BenchOptions options)
{
    private const string FixtureFile = "recovery-http.json";

    /// <summary>The result document (the JSON line Program prints) and the exit code.</summary>
    public async Task<(JsonObject Result, int ExitCode)> RunAsync(CancellationToken abort)
    {
        var dll = options.ServerDll ?? ServerProcess.FindWebDll();
        if (dll is null || !File.Exists(dll))
        {
            Console.Error.WriteLine("error: Messenger.Web.dll not found; build the solution (dotnet build Messenger.sln -c Release) or pass --server-dll");
            return (new JsonObject { ["mode"] = "recovery-http", ["error"] = "Messenger.Web.dll not found" }, 2);
        }
        bool ownsDir = options.DataDir is null;
        var dir = Path.GetFullPath(options.DataDir ?? Path.Combine(Path.GetTempPath(), $"messenger-recovery-http-{Guid.NewGuid():N}"));
        Directory.CreateDirectory(dir);
        int port = ServerProcess.FreePort();
        // The per-user send limit guards a shared server from one client; here it would only slow the seeding down.
        var serverArgs = new List<string> { "--Messenger:SendRate:PerSecond", "1000000", "--Messenger:SendRate:Burst", "1000000" };
        serverArgs.AddRange(options.ServerArgs);
        var result = new JsonObject { ["mode"] = "recovery-http", ["dataDir"] = dir, ["serverDll"] = dll, ["gc"] = options.Gc ?? "default" };
        var firstAnswers = new List<double>();
        var runs = new JsonArray();
        bool ok = true;

        var server = await ServerProcess.StartAsync(dll, dir, port, serverArgs, GcEnvironment(options.Gc), abort).ConfigureAwait(false);
        try
        {
            var fixture = Load(dir);
            if (fixture is null || fixture.Messages != options.Messages)
            {
                using var api = new ApiClient(server.Url);
                (fixture, var seconds) = await SeedAsync(api, abort).ConfigureAwait(false);
                result["seedSeconds"] = Math.Round(seconds, 1);
                result["seedPerSec"] = Math.Round(options.Messages / seconds, 1);
                File.WriteAllText(Path.Combine(dir, FixtureFile), JsonSerializer.Serialize(fixture, BenchJson.Default.SeededHistory));
                Console.Error.WriteLine($"seeded {options.Messages:N0} messages in {seconds:F1}s ({options.Messages / seconds:F0}/s)");
            }
            else
            {
                Console.Error.WriteLine($"reusing {dir}: {fixture.Messages:N0} messages already seeded");
            }
            result["messages"] = fixture.Messages;
            result["peers"] = fixture.Peers;

            for (int run = 1; run <= options.Runs && !abort.IsCancellationRequested; run++)
            {
                var stopping = Stopwatch.StartNew();
                bool graceful = await server.StopAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
                await server.DisposeAsync().ConfigureAwait(false);
                double stopMs = stopping.Elapsed.TotalMilliseconds;
                var starting = Stopwatch.StartNew();
                server = await ServerProcess.StartAsync(dll, dir, port, serverArgs, GcEnvironment(options.Gc), abort).ConfigureAwait(false);
                double startMs = starting.Elapsed.TotalMilliseconds;

                var measured = await MeasureAsync(server, fixture, abort).ConfigureAwait(false);
                measured["run"] = run;
                measured["stopMs"] = Math.Round(stopMs, 1);
                measured["stoppedBySigterm"] = graceful;
                measured["startToReadyMs"] = Math.Round(startMs, 1);
                ok &= measured["ok"]!.GetValue<bool>();
                firstAnswers.Add(measured["firstHistoryMs"]!.GetValue<double>());
                Console.Error.WriteLine($"run {run}: first history answer {measured["firstHistoryMs"]} ms, again {measured["againMs"]} ms " +
                                        $"(other user first: {measured["otherUserMs"]} ms; start to ready {startMs:F0} ms)");
                runs.Add(measured);
            }
        }
        finally
        {
            await server.DisposeAsync().ConfigureAwait(false);
            if (ownsDir) TryDelete(dir);
        }

        result["runs"] = runs;
        if (firstAnswers.Count > 0)
        {
            firstAnswers.Sort();
            result["firstHistoryMs"] = new JsonObject
            {
                ["min"] = firstAnswers[0],
                ["median"] = firstAnswers[firstAnswers.Count / 2],
                ["max"] = firstAnswers[^1],
            };
        }
        return (result, ok && firstAnswers.Count > 0 ? 0 : 1);
    }

    /// <summary>Signs up the users and seeds the history; the seconds are the sends' alone (sign-up excluded).</summary>
    private async Task<(SeededHistory Fixture, double Seconds)> SeedAsync(ApiClient api, CancellationToken abort)
    {
        var setup = new BenchSetup(api, new BenchStats(), Math.Min(options.SetupConcurrency, 16));
        int peers = options.Peers;
        // user 0 holds the long history, 1..peers talk to it, the last two are the "other user" and its contact.
        var users = await setup.SignUpAsync(peers + 3, abort).ConfigureAwait(false);
        if (users.Any(u => u is null)) throw new InvalidOperationException("seeding: sign-up failed");
        var big = users[0]!;
        var (other, contact) = (users[peers + 1]!, users[peers + 2]!);
        Console.Error.WriteLine($"seeding {options.Messages:N0} messages between {big.Name} and {peers} peers ({options.SetupConcurrency} at a time)");
        var seeding = Stopwatch.StartNew();
        await new HistorySeeder(api, options.SetupConcurrency)
            .SeedAsync(big, users[1..(peers + 1)].Select(u => u!).ToList(), options.Messages, options.BodyBytes, abort).ConfigureAwait(false);
        double seconds = seeding.Elapsed.TotalSeconds;
        if (await api.SendMessageAsync(other.Token, Guid.NewGuid(), contact.Name, "hello", abort).ConfigureAwait(false) != 200)
            throw new InvalidOperationException("seeding: the other user's message was not stored");
        var fixture = new SeededHistory(big.Name, big.Token, await FirstConversationAsync(api, big, abort).ConfigureAwait(false),
            other.Name, other.Token, await FirstConversationAsync(api, other, abort).ConfigureAwait(false), options.Messages, peers);
        return (fixture, seconds);
    }

    private static async Task<string> FirstConversationAsync(ApiClient api, BenchUser user, CancellationToken ct)
    {
        var (status, body) = await api.GetAsync("api/conversations?limit=1", user.Token, ct).ConfigureAwait(false);
        var id = status == 200 ? (string?)JsonNode.Parse(body)?["conversations"]?[0]?["conversationId"] : null;
        return id ?? throw new InvalidOperationException($"seeding: GET /api/conversations for {user.Name} answered {status}");
    }

    /// <summary>The other user's history first (not timed for the figure), then the big user's, twice.</summary>
    private static async Task<JsonObject> MeasureAsync(ServerProcess server, SeededHistory fixture, CancellationToken ct)
    {
        using var api = new ApiClient(server.Url);
        var (otherMs, otherOk) = await TimeHistoryAsync(api, fixture.OtherConversation, fixture.OtherToken, ct).ConfigureAwait(false);
        var before = await api.GetMetricsAsync(ct).ConfigureAwait(false);
        var (firstMs, firstOk) = await TimeHistoryAsync(api, fixture.Conversation, fixture.Token, ct).ConfigureAwait(false);
        var (againMs, againOk) = await TimeHistoryAsync(api, fixture.Conversation, fixture.Token, ct).ConfigureAwait(false);
        var after = await api.GetMetricsAsync(ct).ConfigureAwait(false);
        var j = new JsonObject
        {
            ["ok"] = otherOk && firstOk && againOk,
            ["otherUserMs"] = otherMs,
            ["firstHistoryMs"] = firstMs,
            ["againMs"] = againMs,
            ["serverRssBytes"] = RssProbe.ReadProcRss(server.Pid),
        };
        // The server's own view, once the inbox records its recoveries: how long the big user's recovery took.
        const string sum = "messenger_inbox_recovery_duration_milliseconds_sum", count = "messenger_inbox_recovery_duration_milliseconds_count";
        if (before is not null && after is not null && after.Sum(count) - (before.Sum(count) ?? 0) is > 0 and var recoveries)
            j["serverRecoveryMs"] = Math.Round(((after.Sum(sum) ?? 0) - (before.Sum(sum) ?? 0)) / recoveries, 1);
        return j;
    }

    private static async Task<(double Ms, bool Ok)> TimeHistoryAsync(ApiClient api, string conversation, string token, CancellationToken ct)
    {
        var path = $"api/conversations/{Uri.EscapeDataString(conversation)}/messages?limit=50";
        var started = Stopwatch.GetTimestamp();
        var (status, body) = await api.GetAsync(path, token, ct).ConfigureAwait(false);
        double ms = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
        bool ok = status == 200 && JsonNode.Parse(body)?["messages"] is JsonArray { Count: > 0 };
        if (!ok) Console.Error.WriteLine($"  GET {path} answered {status}: {body[..Math.Min(body.Length, 200)]}");
        return (ms, ok);
    }

    /// <summary>
    /// <c>--gc</c>: Server GC with .NET's dynamic adaptation (DATAS, on by default with Server GC since .NET 9), or
    /// workstation GC; null leaves the runtimeconfig default (workstation, Directory.Build.props).
    /// </summary>
    public static IReadOnlyDictionary<string, string> GcEnvironment(string? gc) => gc switch
    {
        "server" => new Dictionary<string, string> { ["DOTNET_gcServer"] = "1", ["DOTNET_GCDynamicAdaptationMode"] = "1" },
        "workstation" => new Dictionary<string, string> { ["DOTNET_gcServer"] = "0" },
        _ => new Dictionary<string, string>(),
    };

    private static SeededHistory? Load(string dir)
    {
        var path = Path.Combine(dir, FixtureFile);
        return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), BenchJson.Default.SeededHistory) : null;
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}

/// <summary>What seeding left in a data dir, so later runs on it skip straight to the restarts.</summary>
public sealed record SeededHistory(string User, string Token, string Conversation, string OtherUser, string OtherToken,
    string OtherConversation, int Messages, int Peers);
