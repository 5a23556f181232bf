using Messenger.Bench;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Bench;

/// <summary><c>--mode recovery-http</c> at a small N: a real Messenger.Web process seeded, restarted with SIGTERM, timed over HTTP.</summary>
public sealed class RecoveryHttpTests
{
    [Fact]
    public async Task Recovery_http_seeds_restarts_the_server_and_times_the_first_history_answer()
    {
        var dataDir = TempDirs.Create("recovery-http");
        try
        {
            var options = BenchOptions.Parse(["--mode", "recovery-http", "--messages", "40", "--peers", "2", "--runs", "1",
                "--server-dll", NodeProcess.BuildOutput("Messenger.Web"), "--data-dir", dataDir], out var error) ?? throw new InvalidOperationException(error);

            var (result, exitCode) = await new RecoveryHttpRun(options).RunAsync(CancellationToken.None);

            Assert.Equal(0, exitCode);
            Assert.Equal(40, (int)result["messages"]!);
            Assert.NotNull(result["seedSeconds"]);
            var run = result["runs"]!.AsArray().Single()!;
            Assert.True((bool)run["ok"]!);
            Assert.True((bool)run["stoppedBySigterm"]!);
            Assert.True((double)run["firstHistoryMs"]! > 0);
            Assert.True(File.Exists(Path.Combine(dataDir, "recovery-http.json")));

            // The kept data dir is reused: the second run restarts and measures without seeding again.
            var (again, againExit) = await new RecoveryHttpRun(options).RunAsync(CancellationToken.None);
            Assert.Equal(0, againExit);
            Assert.Null(again["seedSeconds"]);
            Assert.True((bool)again["runs"]!.AsArray().Single()!["ok"]!);
        }
        finally
        {
            TempDirs.TryDelete(dataDir);
        }
    }
}
