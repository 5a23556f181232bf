using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.Serialization;
using Akka.TestKit;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Journal;

/// <summary>
/// Akka.Persistence.TCK's JournalSpec (akkadotnet/akka.net, src/core/Akka.Persistence.TCK/Journal/JournalSpec.cs), ported
/// case by case (the TCK package is not on our feed): every journal plugin must pass these. Each test starts with events
/// 1..5 of its own persistence id written, 4 and 5 as one AtomicWrite.
/// </summary>
public abstract class JournalTck : Akka.TestKit.Xunit2.TestKit
{
    private static int _counter;
    private readonly JournalDatabases _databases;
    private readonly TestProbe _receiver;

    protected JournalTck(JournalDatabases databases, ITestOutputHelper output)
        : base(databases.TckConfig(), "JournalTck", output)
    {
        _databases = databases;
        Pid = "p-" + Interlocked.Increment(ref _counter);
        _receiver = CreateTestProbe();
        WriteMessages(1, 5);
    }

    private string Pid { get; }
    private string WriterGuid { get; } = Guid.NewGuid().ToString();
    private const int ActorInstanceId = 1;
    private IActorRef Journal => Persistence.Instance.Apply(Sys).JournalFor(null);

    protected override void AfterAll()
    {
        base.AfterAll();
        _databases.Dispose();
    }

    private Persistent Event(long i, object? payload = null) =>
        new(payload ?? "a-" + i, i, Pid, string.Empty, false, ActorRefs.NoSender, WriterGuid);

    private void WriteMessages(int from, int to)
    {
        var messages = Enumerable.Range(from, to - 1)
            .Select(i => i == to - 1
                ? new AtomicWrite(ImmutableList.Create<IPersistentRepresentation>(Event(i), Event(i + 1)))
                : new AtomicWrite(Event(i)))
            .ToArray();
        var probe = CreateTestProbe();
        Journal.Tell(new WriteMessages(messages, probe.Ref, ActorInstanceId));
        probe.ExpectMsg<WriteMessagesSuccessful>();
        for (var i = from; i <= to; i++)
        {
            var n = i;
            probe.ExpectMsg<WriteMessageSuccess>(m =>
                m.Persistent.Payload.ToString() == "a-" + n && m.Persistent.SequenceNr == n && m.Persistent.PersistenceId == Pid);
        }
    }

    private bool IsReplayed(ReplayedMessage message, long seqNr) =>
        !message.Persistent.IsDeleted && message.Persistent.Payload.ToString() == "a-" + seqNr
        && message.Persistent.PersistenceId == Pid && message.Persistent.SequenceNr == seqNr;

    private void Replay(long from, long to, long max, params long[] expected)
    {
        Journal.Tell(new ReplayMessages(from, to, max, Pid, _receiver.Ref));
        foreach (var seqNr in expected) _receiver.ExpectMsg<ReplayedMessage>(m => IsReplayed(m, seqNr));
        _receiver.ExpectMsg<RecoverySuccess>(m => m.HighestSequenceNr == 5L);
    }

    [Fact] public void Journal_should_replay_all_messages() => Replay(1, long.MaxValue, long.MaxValue, 1, 2, 3, 4, 5);

    [Fact] public void Journal_should_replay_messages_using_a_lower_sequence_number_bound() =>
        Replay(3, long.MaxValue, long.MaxValue, 3, 4, 5);

    [Fact] public void Journal_should_replay_messages_using_an_upper_sequence_number_bound() =>
        Replay(1, 3, long.MaxValue, 1, 2, 3);

    [Fact] public void Journal_should_replay_messages_using_a_count_limit() => Replay(1, long.MaxValue, 3, 1, 2, 3);

    [Fact] public void Journal_should_replay_messages_using_lower_and_upper_sequence_number_bound() =>
        Replay(2, 3, long.MaxValue, 2, 3);

    [Fact] public void Journal_should_replay_messages_using_lower_and_upper_sequence_number_bound_and_count_limit() =>
        Replay(2, 5, 2, 2, 3);

    [Fact] public void Journal_should_replay_a_single_if_lower_sequence_number_bound_equals_upper_sequence_number_bound() =>
        Replay(2, 2, long.MaxValue, 2);

    [Fact] public void Journal_should_replay_a_single_message_if_count_limit_is_equal_one() => Replay(2, 4, 1, 2);

    [Fact] public void Journal_should_not_replay_messages_if_count_limit_equals_zero() => Replay(2, 4, 0);

    [Fact] public void Journal_should_not_replay_messages_if_lower_sequence_number_bound_is_greater_than_upper_sequence_number_bound() =>
        Replay(3, 2, long.MaxValue);

    [Fact]
    public void Journal_should_not_replay_messages_if_the_persistent_actor_has_not_yet_written_messages()
    {
        Journal.Tell(new ReplayMessages(0, long.MaxValue, long.MaxValue, "non-existing-pid", _receiver.Ref));
        _receiver.ExpectMsg<RecoverySuccess>(m => m.HighestSequenceNr == 0L);
    }

    [Fact]
    public void Journal_should_not_replay_permanently_deleted_messages_on_range_deletion()
    {
        var receiver2 = CreateTestProbe();
        var command = new DeleteMessagesTo(Pid, 3, receiver2.Ref);
        var subscriber = CreateTestProbe();
        Sys.EventStream.Subscribe(subscriber.Ref, typeof(DeleteMessagesTo));
        Journal.Tell(command);
        subscriber.ExpectMsg<DeleteMessagesTo>(c => c.PersistenceId == Pid && c.ToSequenceNr == 3);
        receiver2.ExpectMsg<DeleteMessagesSuccess>(m => m.ToSequenceNr == command.ToSequenceNr);

        Journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, Pid, _receiver.Ref));
        _receiver.ExpectMsg<ReplayedMessage>(m => IsReplayed(m, 4));
        _receiver.ExpectMsg<ReplayedMessage>(m => IsReplayed(m, 5));
        receiver2.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Journal_should_not_reset_HighestSequenceNr_after_message_deletion()
    {
        Replay(0, long.MaxValue, long.MaxValue, 1, 2, 3, 4, 5);
        Journal.Tell(new DeleteMessagesTo(Pid, 3L, _receiver.Ref));
        _receiver.ExpectMsg<DeleteMessagesSuccess>(m => m.ToSequenceNr == 3L);
        Replay(0, long.MaxValue, long.MaxValue, 4, 5);
    }

    [Fact]
    public void Journal_should_not_reset_HighestSequenceNr_after_journal_cleanup()
    {
        Replay(0, long.MaxValue, long.MaxValue, 1, 2, 3, 4, 5);
        Journal.Tell(new DeleteMessagesTo(Pid, long.MaxValue, _receiver.Ref));
        _receiver.ExpectMsg<DeleteMessagesSuccess>(m => m.ToSequenceNr == long.MaxValue);
        Replay(0, long.MaxValue, long.MaxValue);
    }

    [Fact]
    public void Journal_should_serialize_events()
    {
        var probe = CreateTestProbe();
        var @event = new TckPayload(probe.Ref);
        Journal.Tell(new WriteMessages(new[] { new AtomicWrite(Event(6, @event)) }, probe.Ref, ActorInstanceId));
        probe.ExpectMsg<WriteMessagesSuccessful>();
        probe.ExpectMsg<WriteMessageSuccess>(o => AssertSerialized(o.Persistent, @event));

        Journal.Tell(new ReplayMessages(6L, long.MaxValue, long.MaxValue, Pid, _receiver.Ref));
        _receiver.ExpectMsg<ReplayedMessage>(o => AssertSerialized(o.Persistent, @event));
        Assert.Equal(6L, _receiver.ExpectMsg<RecoverySuccess>().HighestSequenceNr);
    }

    private void AssertSerialized(IPersistentRepresentation persistent, TckPayload expected)
    {
        Assert.Equal(WriterGuid, persistent.WriterGuid);
        Assert.Equal(Pid, persistent.PersistenceId);
        Assert.Equal(6L, persistent.SequenceNr);
        Assert.True(persistent.Sender == ActorRefs.NoSender || persistent.Sender.Equals(Sys.DeadLetters));
        Assert.Equal(expected, persistent.Payload);
    }

    /// <summary>The JSON serializer fails on this type (the TCK's ISerializable trick does not fail on .NET Core's
    /// Newtonsoft defaults, a throwing property does): its write is rejected, its neighbours are stored.</summary>
    private sealed class NotSerializableEvent
    {
        public string Value => throw new InvalidOperationException("not serializable");
    }

    [Fact]
    public void Journal_optionally_may_reject_non_serializable_events()
    {
        var serializer = Assert.IsType<NewtonSoftJsonSerializer>(Sys.Serialization.FindSerializerForType(typeof(NotSerializableEvent)));
        Assert.ThrowsAny<Exception>(() => serializer.ToBinary(new NotSerializableEvent()));
        var messages = Enumerable.Range(6, 3)
            .Select(i => new AtomicWrite(Event(i, i == 7 ? new NotSerializableEvent() : "b-" + i)))
            .ToArray();
        var probe = CreateTestProbe();
        Journal.Tell(new WriteMessages(messages, probe.Ref, ActorInstanceId));
        probe.ExpectMsg<WriteMessagesSuccessful>();
        probe.ExpectMsg<WriteMessageSuccess>(m => m.Persistent.SequenceNr == 6L && m.Persistent.Payload.Equals("b-6")
                                                  && m.Persistent.WriterGuid == WriterGuid);
        probe.ExpectMsg<WriteMessageRejected>(m => m.Persistent.SequenceNr == 7L && m.Persistent.Payload is NotSerializableEvent);
        probe.ExpectMsg<WriteMessageSuccess>(m => m.Persistent.SequenceNr == 8L && m.Persistent.Payload.Equals("b-8"));
    }
}

public sealed class SqliteJournalTck(ITestOutputHelper output) : JournalTck(JournalDatabases.Sqlite(), output);

[Collection(PostgresCollection.Name)]
public sealed class PostgresJournalTck(PostgresServer postgres, ITestOutputHelper output)
    : JournalTck(JournalDatabases.Postgres(postgres), output);
