using Messenger.Bench;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Bench;

/// <summary>The group mode against a real messenger (in-process, SQLite), briefly.</summary>
public sealed class GroupBenchAgainstServerTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Group_mode_creates_the_groups_and_every_send_is_acknowledged_and_reaches_every_members_device_once()
    {
        var options = BenchOptions.Parse(["--url", fixture.BaseUrl.ToString(), "--setup-concurrency", "4", "--mode", "group",
            "--group-size", "5", "--groups", "2", "--senders", "2", "--inflight", "2", "--warmup", "1", "--duration", "3", "--drain", "60"],
            out var error) ?? throw new InvalidOperationException(error);

        var figures = await new GroupRun(options).RunAsync(CancellationToken.None);

        Assert.Equal((2, 10), (figures.Groups, figures.Connections));
        var counts = figures.Counts;
        Assert.True(counts.AckedInWindow > 0, "nothing acknowledged in the window");
        Assert.Equal((0L, 0L, 0L, 0L, 0L), (counts.Unacked, counts.Undelivered, counts.Duplicates, counts.Unexpected, counts.Failed));
        // Every send acknowledged, and on all 5 members' devices (the sender's own included) exactly once.
        Assert.Equal(counts.Sent, counts.Acked);
        Assert.Equal(counts.Sent * 5, counts.CopiesDelivered);
        Assert.Equal(counts.MeasuredSent, figures.LastDevice.Count);
        Assert.Equal(0, figures.ExitCode);
    }
}
