using Messenger.Bench;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Bench;

/// <summary>The receipts and transfer modes against a real messenger (in-process, SQLite), briefly.</summary>
public sealed class BenchModesAgainstServerTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private BenchOptions Options(params string[] args) =>
        BenchOptions.Parse(["--url", fixture.BaseUrl.ToString(), "--setup-concurrency", "4", .. args], out var error)
        ?? throw new InvalidOperationException(error);

    [Fact]
    public async Task Transfer_mode_uploads_and_downloads_every_round_and_verifies_the_bytes()
    {
        var figures = await new TransferRun(Options("--mode", "transfer", "--file-mib", "2", "--runs", "2")).RunAsync(CancellationToken.None);

        Assert.Empty(figures.Failures);
        Assert.Equal(0, figures.ExitCode);
        Assert.Equal(2 * 1024 * 1024, figures.FileBytes);
        Assert.Equal(2, figures.Uploads.Count);
        Assert.All(figures.Downloads, d => Assert.Equal(2 * 1024 * 1024, d.Bytes));
        Assert.True(TransferFigures.Overall(figures.Uploads) > 0);
        Assert.True(TransferFigures.Overall(figures.Downloads) > 0);
    }

    [Fact]
    public async Task Receipts_mode_runs_the_plain_loop_then_acknowledges_deliveries_and_sees_receipts_come_back()
    {
        var options = Options("--mode", "receipts", "--pairs", "2", "--inflight", "2", "--warmup", "1", "--duration", "3", "--drain", "30");
        using var api = new ApiClient(options.Url);

        var (figures, connections) = await new ReceiptsRun(options, api).RunAsync(CancellationToken.None);

        Assert.Equal(4, connections);
        Assert.True(figures.Plain.Acked > 0);
        Assert.Equal(0, figures.Plain.ReceivedFrames);
        Assert.True(figures.Acknowledging.Acked > 0);
        Assert.True(figures.Acknowledging.Acknowledged > 0);
        Assert.True(figures.Acknowledging.ReceiptFrames > 0);
        // Refused sends (admission, the per-user limit) may happen on a busy box; a refused `received` may not.
        Assert.DoesNotContain(figures.Acknowledging.ErrorsByCode ?? [], e => e.Key == "invalid_request");
        Assert.Equal(0, figures.ExitCode);
    }
}
