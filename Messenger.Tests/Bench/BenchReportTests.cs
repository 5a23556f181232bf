using Messenger.Bench;

namespace Messenger.Tests.Bench;

/// <summary>
/// The bench's figures come from what it counted in the measured window. Timestamps are given explicitly (the
/// window is a span of Stopwatch ticks), so these specs drive the real tracker and report without waiting.
/// </summary>
public sealed class BenchReportTests
{
    private readonly BenchStats _stats = new();
    private readonly MessageTracker _tracker;
    private readonly RunClock _clock = new(warmupSec: 1, durationSec: 2);
    private readonly BenchUser _alice = new(0, "alice", "token");
    private readonly BenchUser _bob = new(1, "bob", "token") { LiveDevices = 1 };
    private readonly BenchConnection _aliceDevice;

    public BenchReportTests()
    {
        _tracker = new MessageTracker(_stats, 2) { Clock = _clock };
        _aliceDevice = new BenchConnection(_alice, 0, _tracker, _stats);
    }

    [Fact]
    public void Warmup_sends_acknowledged_inside_the_window_are_no_throughput_and_a_window_without_acks_fails()
    {
        // A backlog of warmup sends acknowledged during the window: the old report turned these into ackPerSec 98
        // while the window's own sends got nothing.
        for (int i = 0; i < 98; i++)
        {
            var id = Send(_clock.StartTs + i);
            _tracker.OnAck(id, _clock.WarmupEndTs + 1000 + i);
            _tracker.OnMessage(id, _bob, 0, _clock.WarmupEndTs + 1000 + i);
        }
        Send(_clock.WarmupEndTs + 10);

        var report = Report();
        var json = report.ToJson();

        Assert.Equal(0, (double)json["ackPerSec"]!);
        Assert.Equal(0, (double)json["deliveredPerSec"]!);
        Assert.Equal(1, (long)json["sent"]!);
        Assert.Equal(0, (long)json["acked"]!);
        Assert.Equal(1, (long)json["unacked"]!);
        Assert.Equal(1, report.ExitCode);
    }

    [Fact]
    public void Throughput_counts_window_sends_acknowledged_in_the_window_and_errors_are_split_by_window()
    {
        long inWindow = _clock.WarmupEndTs + 100;
        var early = Send(_clock.WarmupEndTs + 1);
        var alsoEarly = Send(_clock.WarmupEndTs + 2);
        var drained = Send(_clock.WarmupEndTs + 3);
        var refused = Send(_clock.WarmupEndTs + 4);
        var warmupRefused = Send(_clock.StartTs);
        foreach (var id in new[] { early, alsoEarly })
        {
            _tracker.OnAck(id, inWindow);
            _tracker.OnMessage(id, _bob, 0, inWindow);
        }
        _tracker.OnAck(drained, _clock.MeasureEndTs + 5);
        _tracker.OnMessage(drained, _bob, 0, _clock.MeasureEndTs + 5);
        _tracker.OnError(refused, "rate_limited", inWindow);
        _tracker.OnError(warmupRefused, "unavailable", _clock.StartTs + 1);

        var report = Report();
        var json = report.ToJson();

        Assert.Equal(4, (long)json["sent"]!);
        Assert.Equal(3, (long)json["acked"]!);
        Assert.Equal(2, (long)json["ackedInWindow"]!);
        Assert.Equal(1, (long)json["rejected"]!);
        Assert.Equal(1.0, (double)json["ackPerSec"]!, 3);
        Assert.Equal(1.0, (double)json["deliveredPerSec"]!, 3);
        Assert.Equal("""{"rate_limited":1}""", json["errors"]!.ToJsonString());
        Assert.Equal("""{"unavailable":1}""", json["errorsOutsideWindow"]!.ToJsonString());
        Assert.Equal(0, report.ExitCode);
    }

    [Fact]
    public void A_run_interrupted_before_its_window_reports_no_rate_and_fails()
    {
        _clock.MarkStopped(_clock.StartTs + 1);
        var report = Report();

        Assert.Null(report.ToJson()["ackPerSec"]);
        Assert.Equal(1, report.ExitCode);
    }

    private Guid Send(long sentTs)
    {
        var id = Guid.NewGuid();
        _tracker.Register(id, new MessageRecord { Sender = _aliceDevice, Recipient = _bob, SendTs = sentTs });
        return id;
    }

    private Report Report()
    {
        var options = BenchOptions.Parse(["--pairs", "1", "--warmup", "1", "--duration", "2"], out var error) ?? throw new InvalidOperationException(error);
        return new Report(options, _stats) { Connections = 2, MeasuredSeconds = _clock.MeasuredSeconds, Leftovers = _tracker.CountLeftovers() };
    }
}
