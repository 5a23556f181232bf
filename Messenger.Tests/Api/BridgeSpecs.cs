using Messenger.Messages.Chat;
using Messenger.Web.Api;
using Messenger.Web.RealTime;

namespace Messenger.Tests.Api;

/// <summary>The bridge's and the gateway's decisions, driven directly: no server, no actor system.</summary>
public sealed class BridgeSpecs
{
    private static MessageFrame Message(long seq, bool live = false) => new(new InboxMessage(
        new ChatMessage(Guid.NewGuid(), Guid.NewGuid(), "dm:a:b", "a", "b", "hi", DateTime.UtcNow, "0000000000000000000000aa"), seq), live);

    [Fact]
    public void Delivered_seqs_advance_only_over_a_contiguous_run_from_the_first_attach()
    {
        var delivered = new DeliveredSeqs();
        Assert.True(delivered.TryMark(3));
        delivered.StartAt(1);
        Assert.Equal(1, delivered.UpTo);
        Assert.True(delivered.TryMark(2));
        Assert.Equal(3, delivered.UpTo);
        Assert.True(delivered.TryMark(5));
        Assert.Equal(3, delivered.UpTo);
        Assert.False(delivered.TryMark(5));
        Assert.True(delivered.TryMark(4));
        Assert.Equal(5, delivered.UpTo);
    }

    [Fact]
    public void Outgoing_frames_keep_each_seq_once_come_out_in_bounded_batches_and_count_live_pushes()
    {
        var frames = new OutgoingFrames();
        Assert.True(frames.Add(Message(1, live: true)));
        Assert.False(frames.Add(Message(1)));
        for (var seq = 2; seq <= 100; seq++) Assert.True(frames.Add(Message(seq, live: seq % 2 == 0)));
        frames.Add(PongFrame.Instance);
        frames.Add(PongFrame.Instance);
        Assert.Equal(51, frames.LiveWaiting);

        var first = frames.TakeBatch()!;
        Assert.Equal(OutgoingFrames.MaxBatch, first.Count);
        Assert.Equal(Enumerable.Range(1, 64).Select(i => (long?)i), first.Select(f => f.Seq));
        var second = frames.TakeBatch()!;
        Assert.Equal(38, second.Count);
        Assert.Equal(0, frames.LiveWaiting);
        Assert.Null(frames.TakeBatch());
    }

    [Fact]
    public void Admission_falls_to_what_meets_the_target_when_sends_are_slow_and_grows_back_when_fast()
    {
        var clock = 0L;
        var admission = new SendAdmission(maxInFlight: 1000, target: TimeSpan.FromMilliseconds(100), clockMs: () => clock);
        var admitted = Enumerable.Range(0, 64).Count(_ => admission.TryEnter());
        Assert.Equal(64, admitted);
        Assert.False(admission.TryEnter());

        // 64 in flight took a second: about 64 × 100 ms / 1 s ≈ 6 fit the target.
        clock = 1000;
        for (var i = 0; i < 64; i++) admission.Exit(TimeSpan.FromSeconds(1), answered: true);
        Assert.InRange(admission.Limit, 4, 7);
        var now = Enumerable.Range(0, 20).Count(_ => admission.TryEnter());
        Assert.Equal(admission.Limit, now);

        // Fast answers while the limit is what holds sends back: it grows again.
        var before = admission.Limit;
        for (var i = 0; i < now; i++) admission.Exit(TimeSpan.FromMilliseconds(5), answered: true);
        Assert.True(admission.Limit > before);
    }

    [Fact]
    public void Admission_keeps_its_limit_when_only_the_tail_of_the_sends_is_slow()
    {
        // A closed loop at capacity: most sends well inside the target, now and then one past it (a GC pause, a WAL
        // checkpoint). Cutting on each slow send kept the limit below what the node carried; the mean decides.
        var clock = 0L;
        var admission = new SendAdmission(maxInFlight: 1000, target: TimeSpan.FromMilliseconds(100), clockMs: () => clock);
        for (var round = 0; round < 20; round++)
        {
            var admitted = Enumerable.Range(0, 64).Count(_ => admission.TryEnter());
            clock += 30;
            for (var i = 0; i < admitted; i++)
                admission.Exit(TimeSpan.FromMilliseconds(i == 0 ? 150 : 40), answered: true);
        }
        Assert.True(admission.Limit >= 64, $"limit {admission.Limit}");

        // The same loop once most of its sends take longer than the target: the limit falls.
        for (var round = 0; round < 5; round++)
        {
            var admitted = Enumerable.Range(0, 64).Count(_ => admission.TryEnter());
            clock += 200;
            for (var i = 0; i < admitted; i++) admission.Exit(TimeSpan.FromMilliseconds(180), answered: true);
        }
        Assert.True(admission.Limit < 64, $"limit {admission.Limit}");
    }

    [Fact]
    public void Admission_falls_at_once_when_a_send_is_not_answered()
    {
        var clock = 0L;
        var admission = new SendAdmission(maxInFlight: 1000, target: TimeSpan.FromMilliseconds(100), clockMs: () => clock);
        Assert.Equal(64, Enumerable.Range(0, 64).Count(_ => admission.TryEnter()));
        admission.Exit(TimeSpan.FromMilliseconds(500), answered: false);
        Assert.True(admission.Limit < 64, $"limit {admission.Limit}");
    }

    [Fact]
    public void Admission_never_exceeds_the_configured_ceiling()
    {
        var admission = new SendAdmission(maxInFlight: 1, target: TimeSpan.FromSeconds(1));
        Assert.True(admission.TryEnter());
        Assert.False(admission.TryEnter());
        admission.Exit(TimeSpan.FromMilliseconds(1), answered: true);
        Assert.True(admission.TryEnter());
    }

    [Theory]
    [InlineData("{\"type\":\"send\",\"clientMessageId\":\"k\",\"to\":5,\"body\":\"x\"}")]
    [InlineData("{\"type\":\"send\",\"to\":[],\"body\":{},\"clientMessageId\":\"k\"}")]
    [InlineData("{\"type\":\"send\",\"clientMessageId\":\"k\",\"body\":true} trailing")]
    public void A_send_frame_that_cannot_be_understood_keeps_its_client_message_id(string text)
    {
        var frame = ClientFrame.Parse(System.Text.Encoding.UTF8.GetBytes(text));
        Assert.Equal(ClientFrame.InvalidType, frame.Type);
        Assert.Equal("k", frame.ClientMessageId);
    }

    [Fact]
    public async Task Client_text_frames_read_as_binary_whatever_the_split_of_the_bytes()
    {
        // Masked client frames: text (short, 126-byte, 70,000-byte lengths), binary, a ping, a continued text message.
        var frames = new List<byte[]>
        {
            Masked(0x81, 5), Masked(0x82, 3), Masked(0x89, 0), Masked(0x81, 300),
            Masked(0x01, 2), Masked(0x80, 2), Masked(0x81, 70_000),
        };
        var wire = frames.SelectMany(f => f).ToArray();
        foreach (var chunk in new[] { 1, 2, 3, 7, 4096 })
        {
            var kinds = new ClientFrameKinds(new MemoryStream(wire.ToArray()));
            var read = new List<byte>();
            var buffer = new byte[chunk];
            int n;
            while ((n = await kinds.ReadAsync(buffer.AsMemory())) > 0) read.AddRange(buffer.Take(n));

            var offset = 0;
            var opcodes = new List<int>();
            foreach (var f in frames)
            {
                opcodes.Add(read[offset] & 0x0F);
                Assert.True(read.Skip(offset + 1).Take(f.Length - 1).SequenceEqual(f.Skip(1)), "only the opcode changes");
                offset += f.Length;
            }
            Assert.Equal(new[] { 2, 2, 9, 2, 2, 0, 2 }, opcodes);
            Assert.Equal(new[] { true, false, true, true, true }, Enumerable.Range(0, 5).Select(_ => kinds.NextWasText()));
        }
    }

    private static byte[] Masked(byte first, int length)
    {
        var header = new List<byte> { first };
        if (length < 126) header.Add((byte)(0x80 | length));
        else if (length < 65536) header.AddRange([0x80 | 126, (byte)(length >> 8), (byte)length]);
        else
        {
            header.Add(0x80 | 127);
            for (var shift = 56; shift >= 0; shift -= 8) header.Add((byte)((long)length >> shift));
        }
        header.AddRange([1, 2, 3, 4]);
        return [.. header, .. Enumerable.Repeat((byte)0x81, length)];
    }
}
