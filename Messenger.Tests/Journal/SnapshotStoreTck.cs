using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Journal;

/// <summary>
/// Akka.Persistence.TCK's SnapshotStoreSpec (src/core/Akka.Persistence.TCK/Snapshot/SnapshotStoreSpec.cs), ported case by
/// case. Each test starts with snapshots "s-1".."s-5" at sequence numbers 11..15 of its own persistence id.
/// </summary>
public abstract class SnapshotStoreTck : Akka.TestKit.Xunit2.TestKit
{
    private static int _counter;
    private readonly JournalDatabases _databases;
    private readonly TestProbe _sender;
    private readonly List<SnapshotMetadata> _metadata = new();

    protected SnapshotStoreTck(JournalDatabases databases, ITestOutputHelper output)
        : base(databases.TckConfig(), "SnapshotStoreTck", output)
    {
        _databases = databases;
        Pid = "s-" + Interlocked.Increment(ref _counter);
        _sender = CreateTestProbe();
        for (var i = 1; i <= 5; i++)
        {
            SnapshotStore.Tell(new SaveSnapshot(new SnapshotMetadata(Pid, i + 10, Sys.Scheduler.Now.UtcDateTime), $"s-{i}"), _sender.Ref);
            _metadata.Add(_sender.ExpectMsg<SaveSnapshotSuccess>().Metadata);
        }
    }

    private string Pid { get; }
    private IActorRef SnapshotStore => Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);

    protected override void AfterAll()
    {
        base.AfterAll();
        _databases.Dispose();
    }

    private void ExpectNone(string pid, SnapshotSelectionCriteria criteria, long toSequenceNr)
    {
        SnapshotStore.Tell(new LoadSnapshot(pid, criteria, toSequenceNr), _sender.Ref);
        _sender.ExpectMsg<LoadSnapshotResult>(r => r.Snapshot == null && r.ToSequenceNr == toSequenceNr);
    }

    private void ExpectLoaded(SnapshotSelectionCriteria criteria, long toSequenceNr, int index)
    {
        SnapshotStore.Tell(new LoadSnapshot(Pid, criteria, toSequenceNr), _sender.Ref);
        _sender.ExpectMsg<LoadSnapshotResult>(r => r.ToSequenceNr == toSequenceNr && r.Snapshot != null
            && r.Snapshot.Metadata.Equals(_metadata[index]) && r.Snapshot.Snapshot.ToString() == $"s-{index + 1}");
    }

    private void Delete(object command)
    {
        var subscriber = CreateTestProbe();
        Sys.EventStream.Subscribe(subscriber.Ref, command.GetType());
        SnapshotStore.Tell(command, _sender.Ref);
        subscriber.ExpectMsg(command);
    }

    [Fact] public void SnapshotStore_should_not_load_a_snapshot_given_an_invalid_persistence_id() =>
        ExpectNone("invalid", SnapshotSelectionCriteria.Latest, long.MaxValue);

    [Fact] public void SnapshotStore_should_not_load_a_snapshot_given_non_matching_timestamp_criteria() =>
        ExpectNone(Pid, new SnapshotSelectionCriteria(long.MaxValue, new DateTime(100000)), long.MaxValue);

    [Fact]
    public void SnapshotStore_should_not_load_a_snapshot_given_non_matching_sequence_number_criteria()
    {
        ExpectNone(Pid, new SnapshotSelectionCriteria(7), long.MaxValue);
        ExpectNone(Pid, SnapshotSelectionCriteria.Latest, 7);
    }

    [Fact] public void SnapshotStore_should_load_the_most_recent_snapshot() =>
        ExpectLoaded(SnapshotSelectionCriteria.Latest, long.MaxValue, 4);

    [Fact]
    public void SnapshotStore_should_load_the_most_recent_snapshot_matching_an_upper_sequence_number_bound()
    {
        ExpectLoaded(new SnapshotSelectionCriteria(13), long.MaxValue, 2);
        ExpectLoaded(SnapshotSelectionCriteria.Latest, 13, 2);
    }

    [Fact]
    public void SnapshotStore_should_load_the_most_recent_snapshot_matching_an_upper_sequence_number_and_timestamp_bound()
    {
        ExpectLoaded(new SnapshotSelectionCriteria(13, _metadata[2].Timestamp), long.MaxValue, 2);
        ExpectLoaded(new SnapshotSelectionCriteria(long.MaxValue, _metadata[2].Timestamp), 13, 2);
    }

    [Fact]
    public void SnapshotStore_should_delete_a_single_snapshot_identified_by_SequenceNr_in_snapshot_metadata()
    {
        var md = new SnapshotMetadata(_metadata[2].PersistenceId, _metadata[2].SequenceNr, _metadata[2].Timestamp);
        Delete(new DeleteSnapshot(md));
        _sender.ExpectMsg<DeleteSnapshotSuccess>();
        ExpectLoaded(new SnapshotSelectionCriteria(md.SequenceNr), long.MaxValue, 1);
    }

    [Fact]
    public void SnapshotStore_should_delete_a_single_snapshot_identified_by_SequenceNr_in_snapshot_metadata_if_timestamp_is_MinValue()
    {
        var md = new SnapshotMetadata(_metadata[2].PersistenceId, _metadata[2].SequenceNr, DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc));
        Delete(new DeleteSnapshot(md));
        _sender.ExpectMsg<DeleteSnapshotSuccess>();
        ExpectLoaded(new SnapshotSelectionCriteria(md.SequenceNr), long.MaxValue, 1);
    }

    [Fact]
    public void SnapshotStore_should_not_delete_snapshot_identified_by_SequenceNr_if_metadata_timestamp_is_less_than_stored_timestamp()
    {
        var md = new SnapshotMetadata(_metadata[2].PersistenceId, _metadata[2].SequenceNr, _metadata[2].Timestamp - TimeSpan.FromSeconds(2));
        Delete(new DeleteSnapshot(md));
        _sender.ExpectMsg<DeleteSnapshotSuccess>();
        ExpectLoaded(new SnapshotSelectionCriteria(md.SequenceNr), long.MaxValue, 2);
    }

    [Fact]
    public void SnapshotStore_should_delete_all_snapshots_matching_upper_sequence_number_and_timestamp_bounds()
    {
        var md = _metadata[2];
        Delete(new DeleteSnapshots(Pid, new SnapshotSelectionCriteria(md.SequenceNr, md.Timestamp)));
        _sender.ExpectMsg<DeleteSnapshotsSuccess>();
        ExpectNone(Pid, new SnapshotSelectionCriteria(md.SequenceNr, md.Timestamp), long.MaxValue);
        ExpectLoaded(new SnapshotSelectionCriteria(_metadata[3].SequenceNr, _metadata[3].Timestamp), long.MaxValue, 3);
    }

    [Fact]
    public void SnapshotStore_should_not_delete_snapshots_with_non_matching_upper_timestamp_bounds()
    {
        var md = _metadata[3];
        var criteria = new SnapshotSelectionCriteria(md.SequenceNr, md.Timestamp.Subtract(TimeSpan.FromTicks(1)));
        Delete(new DeleteSnapshots(Pid, criteria));
        _sender.ExpectMsg<DeleteSnapshotsSuccess>(m => m.Criteria.Equals(criteria));
        ExpectLoaded(new SnapshotSelectionCriteria(md.SequenceNr, md.Timestamp), long.MaxValue, 3);
    }

    [Fact]
    public void SnapshotStore_should_save_and_overwrite_snapshot_with_same_sequence_number()
    {
        var md = _metadata[4];
        SnapshotStore.Tell(new SaveSnapshot(md, "s-5-modified"), _sender.Ref);
        Assert.Equal(md.SequenceNr, _sender.ExpectMsg<SaveSnapshotSuccess>().Metadata.SequenceNr);
        SnapshotStore.Tell(new LoadSnapshot(Pid, new SnapshotSelectionCriteria(md.SequenceNr), long.MaxValue), _sender.Ref);
        var result = _sender.ExpectMsg<LoadSnapshotResult>();
        Assert.Equal("s-5-modified", result.Snapshot.Snapshot.ToString());
        Assert.Equal(md.SequenceNr, result.Snapshot.Metadata.SequenceNr);
    }

    [Fact]
    public void SnapshotStore_should_save_bigger_size_snapshot()
    {
        var big = new byte[10000];
        Random.Shared.NextBytes(big);
        SnapshotStore.Tell(new SaveSnapshot(new SnapshotMetadata(Pid, 100, Sys.Scheduler.Now.UtcDateTime), big), _sender.Ref);
        _sender.ExpectMsg<SaveSnapshotSuccess>();
        SnapshotStore.Tell(new LoadSnapshot(Pid, SnapshotSelectionCriteria.Latest, long.MaxValue), _sender.Ref);
        Assert.Equal(big, _sender.ExpectMsg<LoadSnapshotResult>().Snapshot.Snapshot);
    }

    [Fact]
    public void ShouldSerializeSnapshots()
    {
        var probe = CreateTestProbe();
        var metadata = new SnapshotMetadata(Pid, 100L, Sys.Scheduler.Now.UtcDateTime);
        var snapshot = new TckPayload(probe.Ref);
        SnapshotStore.Tell(new SaveSnapshot(metadata, snapshot), _sender.Ref);
        _sender.ExpectMsg<SaveSnapshotSuccess>(o => o.Metadata.PersistenceId == Pid && o.Metadata.SequenceNr == 100L);
        SnapshotStore.Tell(new LoadSnapshot(Pid, SnapshotSelectionCriteria.Latest, long.MaxValue), _sender.Ref);
        _sender.ExpectMsg<LoadSnapshotResult>(l =>
            l.Snapshot.Metadata.PersistenceId == Pid && l.Snapshot.Metadata.SequenceNr == 100L && l.Snapshot.Snapshot.Equals(snapshot));
    }
}

public sealed class SqliteSnapshotStoreTck(ITestOutputHelper output) : SnapshotStoreTck(JournalDatabases.Sqlite(), output);

[Collection(PostgresCollection.Name)]
public sealed class PostgresSnapshotStoreTck(PostgresServer postgres, ITestOutputHelper output)
    : SnapshotStoreTck(JournalDatabases.Postgres(postgres), output);
