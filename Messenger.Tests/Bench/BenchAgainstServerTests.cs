using Messenger.Bench;
using Messenger.Tests.Infrastructure;
using Messenger.Tests.Metrics;

namespace Messenger.Tests.Bench;

/// <summary>The bench against a real server process: memory from <c>GET /metrics</c> or /proc, a short closed loop.</summary>
public sealed class BenchAgainstServerTests(WebProcessFixture fixture) : IClassFixture<WebProcessFixture>
{
    [Fact]
    public async Task Server_memory_and_open_sockets_are_read_from_the_prometheus_metrics_or_proc()
    {
        using var api = new ApiClient(fixture.BaseUrl);
        using var client = await ChatClient.SignUpAsync(fixture.BaseUrl);
        await using var socket = await ChatSocket.ConnectAsync(client);

        var fromMetrics = await SampleUntilAsync(api, pid: null);
        Assert.Equal("/metrics", fromMetrics.Source);
        Assert.True(fromMetrics.RssBytes > 0);
        Assert.True(fromMetrics.ManagedBytes > 0);

        var fromProc = await SampleUntilAsync(api, fixture.Node.Pid);
        Assert.Equal($"/proc/{fixture.Node.Pid}/status", fromProc.Source);
        Assert.True(fromProc.RssBytes > 0);
    }

    [Fact]
    public async Task A_short_closed_loop_run_reports_the_acks_and_server_costs_of_its_window()
    {
        var options = BenchOptions.Parse(["--url", fixture.BaseUrl.ToString(), "--pairs", "2", "--inflight", "2", "--warmup", "2",
            "--duration", "5", "--drain", "30", "--setup-concurrency", "4"], out var error) ?? throw new InvalidOperationException(error);
        using var api = new ApiClient(options.Url);

        var report = await new TrafficRun(options, api, new ClosedLoopDriver(options.Inflight)).RunAsync(CancellationToken.None);
        var json = report.ToJson();

        Assert.Equal(0, report.ExitCode);
        Assert.Equal(4, (int)json["connections"]!);
        Assert.True((long)json["ackedInWindow"]! > 0);
        Assert.Equal((long)json["sent"]!, (long)json["acked"]! + (long)json["rejected"]! + (long)json["unacked"]!);
        var server = json["server"]!;
        Assert.True((double)server["seconds"]! > 0);
        Assert.NotNull(server["cpuMsPerAck"]);
        Assert.NotNull(server["gcCollections"]);
    }

    private static async Task<RssSample> SampleUntilAsync(ApiClient api, int? pid)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var sample = await RssProbe.SampleAsync(pid, api, CancellationToken.None);
            if (sample is { ServerConnections: >= 1 }) return sample;
            if (DateTime.UtcNow > deadline) Assert.Fail($"no sample showing the open socket: {sample}");
            await Task.Delay(200);
        }
    }
}
