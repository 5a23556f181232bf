using Messenger.Bench;

namespace Messenger.Tests.Bench;

/// <summary>The transfer mode's MiB/s from bytes counted and time measured, and its verdict.</summary>
public sealed class TransferFiguresTests
{
    private const long TenMiB = 10 * 1024 * 1024;

    [Fact]
    public void Rates_are_bytes_over_time_overall_median_and_best_per_direction()
    {
        // Uploads: 10 MiB in 0.5 s, 1 s and 2 s: 20, 10 and 5 MiB/s one by one; 30 MiB in 3.5 s overall.
        var uploads = new[] { new TransferSample(TenMiB, 0.5), new TransferSample(TenMiB, 1), new TransferSample(TenMiB, 2) };
        var downloads = new[] { new TransferSample(TenMiB, 0.25), new TransferSample(TenMiB, 0.5) };
        var figures = new TransferFigures(TenMiB, uploads, downloads, []);

        Assert.Equal(8.57, TransferFigures.Overall(uploads));
        Assert.Equal(10, TransferFigures.Median(uploads));
        Assert.Equal(20, TransferFigures.Best(uploads));
        Assert.Equal(26.67, TransferFigures.Overall(downloads));
        Assert.Equal(30, TransferFigures.Median(downloads));
        Assert.Equal(0, figures.ExitCode);

        var json = figures.ToJson();
        Assert.Equal("transfer", (string)json["mode"]!);
        Assert.Equal(TenMiB, (long)json["fileBytes"]!);
        Assert.Equal(3, (int)json["rounds"]!);
        Assert.Equal(8.57, (double)json["uploadMiBPerSec"]!);
        Assert.Equal(26.67, (double)json["downloadMiBPerSec"]!);
    }

    [Fact]
    public void Any_failure_or_a_direction_without_a_round_fails_the_run_and_no_time_gives_no_rate()
    {
        var one = new[] { new TransferSample(TenMiB, 1) };
        Assert.Equal(1, new TransferFigures(TenMiB, one, one, ["round 2 download: sha256 ab for cd uploaded"]).ExitCode);
        Assert.Equal(1, new TransferFigures(TenMiB, one, [], []).ExitCode);

        Assert.Null(new TransferSample(TenMiB, 0).MiBPerSecond);
        Assert.Null(TransferFigures.Overall([]));
        Assert.Null(TransferFigures.Median([]));
        Assert.Null(TransferFigures.Best([]));
    }
}
