using System.Text;
using Messenger.Bench;

namespace Messenger.Tests.Bench;

/// <summary>The group mode's options, frames, tracking of member copies and figures, without a server.</summary>
public sealed class GroupFiguresTests
{
    private static GroupCounts Counts(long acked = 400, long copies = 25_600, long unacked = 0, long undelivered = 0, long duplicates = 0) =>
        new(MeasuredSeconds: 20, MeasuredSent: 420, AckedInWindow: acked, CopiesInWindow: copies, Sent: 500, Acked: 480,
            CopiesDelivered: 30_000, Unacked: unacked, Undelivered: undelivered, Duplicates: duplicates, Unexpected: 0, Failed: 0,
            Errors: 12, ErrorsByCode: [KeyValuePair.Create("unavailable", 12L)]);

    [Fact]
    public void Rates_come_from_the_windows_own_counts_and_a_clean_run_exits_0()
    {
        var figures = new GroupFigures(64, 2, 2, 4, 128, Counts(), new LatencySummary(400, 50, 80, 120, 300, 60),
            new LatencySummary(400, 70, 100, 150, 320, 80));

        Assert.Equal(20, figures.AckedPerSec);
        Assert.Equal(1_280, figures.CopiesPerSec);
        Assert.Equal(0, figures.ExitCode);
        var json = figures.ToJson();
        Assert.Equal("group", (string)json["mode"]!);
        Assert.Equal(64, (int)json["groupSize"]!);
        Assert.Equal(20, (double)json["groupMsgsAckedPerSec"]!);
        Assert.Equal(1_280, (double)json["memberCopiesDeliveredPerSec"]!);
        Assert.Equal(150, (double)json["lastMemberDeviceLatencyMs"]!["p99"]!);
        Assert.Equal(12, (long)json["errorsByCode"]!["unavailable"]!);
    }

    [Fact]
    public void The_servers_cpu_and_journal_rows_are_divided_by_the_windows_group_messages_and_member_copies()
    {
        var start = PrometheusText.Parse("dotnet_process_cpu_time_seconds_total 10\nmessenger_journal_batch_rows_sum 1000\n", 0);
        var end = PrometheusText.Parse("dotnet_process_cpu_time_seconds_total 30\nmessenger_journal_batch_rows_sum 53000\n", 20 * System.Diagnostics.Stopwatch.Frequency);
        var figures = new GroupFigures(64, 2, 2, 4, 128, Counts(acked: 400, copies: 25_600), default, default) { Server = new ServerWindow(start, end, 400) };

        var server = figures.ToJson()["server"]!;
        Assert.Equal(50, (double)server["cpuMsPerGroupMsg"]!);            // 20 s of CPU over 400 group messages
        Assert.Equal(781.25, (double)server["cpuMicrosPerCopy"]!);        // over 25,600 member copies
        Assert.Equal(130, (double)server["rowsPerGroupMsg"]!);
        Assert.Equal(2.031, (double)server["rowsPerCopy"]!);
        Assert.Null(new GroupFigures(64, 2, 2, 4, 128, Counts(), default, default).ToJson()["server"]);
    }

    [Theory]
    [InlineData(0, 0, 0, 0)]
    [InlineData(400, 1, 0, 0)]
    [InlineData(400, 0, 1, 0)]
    [InlineData(400, 0, 0, 1)]
    public void Nothing_acknowledged_or_a_send_unacked_undelivered_or_duplicated_is_a_failed_run(long acked, long unacked, long undelivered, long duplicates)
    {
        var figures = new GroupFigures(8, 1, 1, 1, 8, Counts(acked, acked * 8, unacked, undelivered, duplicates), default, default);
        Assert.Equal(1, figures.ExitCode);
    }

    [Fact]
    public void A_send_is_complete_when_every_connected_members_device_got_it_once_and_it_was_acknowledged()
    {
        var members = Enumerable.Range(0, 70).Select(i => new BenchUser(i, $"u{i}", "t")).ToList();
        var group = new BenchGroup(0, "grp:g1", members);
        foreach (var m in new[] { 0, 1, 69 }) group.LiveMask[m >> 6] |= 1L << (m & 63); // only three devices connected
        var tracker = new GroupTracker { Clock = new RunClock(0, 3600) };
        var id = Guid.NewGuid();
        tracker.Register(id, group, sender: 0);

        tracker.OnDelivered(id, 69);
        Assert.Equal(0, tracker.LastDeviceLatency.Count);
        tracker.OnDelivered(id, 1);
        tracker.OnDelivered(id, 1);
        Assert.Equal(1, tracker.Duplicates);
        Assert.Equal(1, tracker.LastDeviceLatency.Count); // every other member's device has it: the sender's own is not waited for
        Assert.Equal((1, 1), tracker.Outstanding());
        Assert.True(tracker.OnSent(id));
        Assert.False(tracker.OnSent(id)); // a second `sent` frees no second slot
        Assert.Equal((0, 1), tracker.Outstanding());
        tracker.OnDelivered(id, 0);

        Assert.Equal(0, tracker.Pending);
        Assert.Equal(3, tracker.CopiesInWindow);
        Assert.Equal(1, tracker.AckedInWindow);
        Assert.Equal(1, tracker.LastDeviceLatency.Count);
        tracker.OnDelivered(id, 0); // after completion: not one of the pending sends
        Assert.Equal(1, tracker.Unexpected);
    }

    [Fact]
    public void A_send_refused_for_good_leaves_the_pending_set_and_every_error_is_counted_by_code()
    {
        var group = new BenchGroup(0, "grp:g1", [new BenchUser(0, "a", "t"), new BenchUser(1, "b", "t")]);
        var tracker = new GroupTracker();
        var id = Guid.NewGuid();
        tracker.Register(id, group, sender: 0);
        tracker.OnError("unavailable");
        tracker.OnError("forbidden");
        tracker.OnFailed(id);

        Assert.Equal(0, tracker.Pending);
        Assert.Equal(1, tracker.Failed);
        Assert.Equal([KeyValuePair.Create("forbidden", 1L), KeyValuePair.Create("unavailable", 1L)], tracker.ErrorsByCode);
    }

    [Theory]
    [InlineData("""{"type":"message","message":{"conversationId":"grp:abc","clientMessageId":"8d1f6f8e-3c2a-4a8e-9a43-1d3f1c9b2a10","kind":null,"seq":3}}""", true, true)]
    [InlineData("""{"message":{"kind":"text","clientMessageId":"8d1f6f8e-3c2a-4a8e-9a43-1d3f1c9b2a10","conversationId":"grp:abc"},"type":"message"}""", true, true)]
    [InlineData("""{"type":"message","message":{"conversationId":"grp:abc","clientMessageId":"8d1f6f8e-3c2a-4a8e-9a43-1d3f1c9b2a10","kind":"member_added","subject":"bob"}}""", true, false)]
    [InlineData("""{"type":"message","message":{"conversationId":"dm:a:b","clientMessageId":"8d1f6f8e-3c2a-4a8e-9a43-1d3f1c9b2a10"}}""", false, true)]
    public void A_message_frame_tells_whether_it_is_a_groups_text_message(string frame, bool inGroup, bool isText)
    {
        Assert.True(FrameParser.TryParse(Encoding.UTF8.GetBytes(frame), out var parsed));
        Assert.Equal(FrameType.Message, parsed.Type);
        Assert.Equal(Guid.Parse("8d1f6f8e-3c2a-4a8e-9a43-1d3f1c9b2a10"), parsed.ClientMessageId);
        Assert.Equal((inGroup, isText), (parsed.InGroup, parsed.IsText));
    }

    [Fact]
    public void Sent_and_error_frames_give_the_send_they_answer_and_errors_their_code_and_retry_after()
    {
        var id = Guid.NewGuid();
        Assert.True(FrameParser.TryParse(Encoding.UTF8.GetBytes($$"""{"type":"sent","clientMessageId":"{{id}}","order":"1"}"""), out var sent));
        Assert.Equal((FrameType.Sent, id, true), (sent.Type, sent.ClientMessageId, sent.HasClientMessageId));
        Assert.True(FrameParser.TryParse(Encoding.UTF8.GetBytes($$"""{"type":"error","code":"unavailable","message":"busy","retryAfter":1.5,"clientMessageId":"{{id}}"}"""), out var error));
        Assert.Equal((FrameType.Error, "unavailable", 1.5, id), (error.Type, error.ErrorCode, error.RetryAfterSec, error.ClientMessageId));
        Assert.False(FrameParser.TryParse("not json"u8, out _));
        Assert.False(FrameParser.TryParse("[1]"u8, out _));
    }

    [Fact]
    public void Options_take_the_group_size_up_to_256_and_no_more_senders_than_members()
    {
        var options = BenchOptions.Parse(["--mode", "group", "--group-size", "256", "--groups", "3", "--senders", "4"], out var error);
        Assert.Null(error);
        Assert.Equal((BenchMode.Group, 256, 3, 4), (options!.Mode, options.GroupSize, options.Groups, options.Senders));
        Assert.Null(BenchOptions.Parse(["--mode", "group", "--group-size", "257"], out error));
        Assert.Contains("--group-size", error);
        Assert.Null(BenchOptions.Parse(["--mode", "group", "--group-size", "4", "--senders", "5"], out error));
        Assert.Contains("--senders", error);
    }

    [Fact]
    public void A_group_created_without_an_answer_is_found_in_the_creators_conversations_by_its_name()
    {
        const string list = """
            {"conversations":[
              {"conversationId":"dm:a:b","peer":"b","group":null},
              {"conversationId":"grp:x1","peer":null,"group":{"name":"bench r1 g0","memberCount":8}},
              {"conversationId":"grp:x2","peer":null,"group":{"name":"bench r1 g1","memberCount":8}}]}
            """;
        Assert.Equal("grp:x2", GroupSetup.Find(list, "bench r1 g1"));
        Assert.Null(GroupSetup.Find(list, "bench r1 g2"));
        Assert.Null(GroupSetup.Find("<html>", "bench r1 g0"));
    }
}
