using System.Text;
using Messenger.Bench;

namespace Messenger.Tests.Bench;

/// <summary>The receipts mode's figures from the counts of its two windows, and the frames it reads.</summary>
public sealed class ReceiptsFiguresTests
{
    private static readonly PhaseSnapshot Plain = new(Seconds: 10, Acked: 50_000, Delivered: 50_000, ReceivedFrames: 0,
        Acknowledged: 0, ReceiptFrames: 0, Errors: 0);

    [Fact]
    public void Both_loops_rates_their_ratio_and_the_acknowledged_rate_come_from_each_windows_own_counts()
    {
        var acknowledging = new PhaseSnapshot(Seconds: 8, Acked: 32_000, Delivered: 32_000, ReceivedFrames: 4_000,
            Acknowledged: 31_000, ReceiptFrames: 8_000, Errors: 0);
        var figures = new ReceiptsFigures(Plain, acknowledging);

        Assert.Equal(5_000, figures.PlainMsgsPerSec);
        Assert.Equal(4_000, figures.MsgsPerSecWithReceipts);
        Assert.Equal(0.8, figures.Ratio);
        Assert.Equal(3_875, figures.AcknowledgedPerSec);
        Assert.Equal(500, figures.ReceivedFramesPerSec);
        Assert.Equal(7.75, figures.MessagesPerReceivedFrame);
        Assert.Equal(1_000, figures.ReceiptFramesPerSec);
        Assert.Equal(0, figures.ExitCode);

        var json = figures.ToJson(BenchOptions.Parse(["--mode", "receipts", "--pairs", "3"], out _)!, connections: 6);
        Assert.Equal("receipts", (string)json["mode"]!);
        Assert.Equal(5_000, (double)json["closedMsgsPerSec"]!);
        Assert.Equal(4_000, (double)json["closedMsgsPerSecWithReceipts"]!);
        Assert.Equal(3_875, (double)json["acknowledgedMsgsPerSec"]!);
        Assert.Equal(31_000, (long)json["withReceipts"]!["acknowledged"]!);
    }

    [Fact]
    public void A_server_that_answers_no_receipt_or_a_window_that_ran_no_time_is_a_failed_run_without_rates()
    {
        // received frames went out but the server pushed no receipt back: it does not take them.
        var ignored = new PhaseSnapshot(8, 32_000, 32_000, 4_000, 31_000, ReceiptFrames: 0, Errors: 4_000,
            [KeyValuePair.Create("invalid_request", 4_000L)]);
        Assert.Equal(1, new ReceiptsFigures(Plain, ignored).ExitCode);
        Assert.Equal(4_000, (long)new ReceiptsFigures(Plain, ignored).ToJson(BenchOptions.Parse([], out _)!, 6)["withReceipts"]!["errorsByCode"]!["invalid_request"]!);

        var empty = new PhaseSnapshot(Seconds: 0, 0, 0, 0, 0, 0, 0);
        var figures = new ReceiptsFigures(Plain, empty);
        Assert.Null(figures.MsgsPerSecWithReceipts);
        Assert.Null(figures.Ratio);
        Assert.Null(figures.MessagesPerReceivedFrame);
        Assert.Equal(1, figures.ExitCode);
    }

    [Theory]
    [InlineData("""{"type":"message","message":{"seq":41,"from":"bob","to":"alice","body":"x"}}""", 41, false)]
    [InlineData("""{"message":{"from":"alice","nested":{"seq":5},"seq":7},"type":"message"}""", 7, true)]
    public void A_message_frame_gives_its_seq_and_whether_the_reader_sent_it(string frame, long seq, bool fromReader)
    {
        Assert.True(ReceiptFrames.TryParse(Encoding.UTF8.GetBytes(frame), "alice"u8, out var parsed));
        Assert.Equal(ReceiptFrameType.Message, parsed.Type);
        Assert.Equal(seq, parsed.Seq);
        Assert.Equal(fromReader, parsed.FromReader);
    }

    [Fact]
    public void Sent_error_and_receipt_frames_are_told_apart_and_junk_is_refused()
    {
        var id = Guid.NewGuid();
        Assert.True(ReceiptFrames.TryParse(Encoding.UTF8.GetBytes($$"""{"type":"sent","clientMessageId":"{{id}}","order":"1"}"""), "a"u8, out var sent));
        Assert.Equal((ReceiptFrameType.Sent, id, true), (sent.Type, sent.ClientMessageId, sent.HasClientMessageId));
        Assert.True(ReceiptFrames.TryParse("""{"type":"error","code":"invalid_request","message":"unknown type"}"""u8, "a"u8, out var error));
        Assert.Equal((ReceiptFrameType.Error, "invalid_request", false), (error.Type, error.ErrorCode, error.HasClientMessageId));
        Assert.True(ReceiptFrames.TryParse("""{"type":"receipt","conversationId":"dm:a:b","userId":"b","delivered":"x","read":null}"""u8, "a"u8, out var receipt));
        Assert.Equal(ReceiptFrameType.Receipt, receipt.Type);
        Assert.False(ReceiptFrames.TryParse("not json"u8, "a"u8, out _));
        Assert.False(ReceiptFrames.TryParse("[1,2]"u8, "a"u8, out _));
    }
}
