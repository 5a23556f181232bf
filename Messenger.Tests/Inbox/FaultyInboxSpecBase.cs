using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.TestKit;
using Messenger.Messages.Users;
using Messenger.Node.Inbox;
using Messenger.Node.Storage;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Inbox;

/// <summary>Entity specs on Akka.Persistence.TestKit's journal and snapshot store, whose writes can be failed,
/// rejected or held back per event.</summary>
public abstract class FaultyInboxSpecBase(SendSettings settings, ITestOutputHelper output)
    : InboxSpecBase(InboxConfigs.FaultyJournal(), new JournalDatabase(JournalKind.Sqlite, "Data Source=:memory:"), settings, output)
{
    protected ITestJournal Journal => TestJournal.FromRef(Persistence.Instance.Apply(Sys).JournalFor(null));

    protected ITestSnapshotStore Snapshots => TestSnapshotStore.FromRef(Persistence.Instance.Apply(Sys).SnapshotStoreFor(null));

    protected static bool IsStoredMessage(IPersistentRepresentation p) => Payload(p) is UserEvents.MessageStored;

    protected static object Payload(IPersistentRepresentation p) =>
        p.Payload is Akka.Persistence.Journal.Tagged t ? t.Payload : p.Payload;

    protected Task InterceptWritesAsync(Func<IPersistentRepresentation, Task> check) =>
        Journal.OnWrite.SetInterceptorAsync(new Interceptor(check));

    protected Task InterceptWritesAsync(Action<IPersistentRepresentation> check) =>
        Journal.OnWrite.SetInterceptorAsync(new Interceptor(p =>
        {
            check(p);
            return Task.CompletedTask;
        }));

    protected async Task<bool> HasSnapshotAsync(string persistenceId)
    {
        var store = Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);
        var result = await store.Ask<LoadSnapshotResult>(
            new LoadSnapshot(persistenceId, SnapshotSelectionCriteria.Latest, long.MaxValue), Wait);
        return result.Snapshot is not null;
    }

    private sealed class Interceptor(Func<IPersistentRepresentation, Task> check) : IJournalInterceptor
    {
        public Task InterceptAsync(IPersistentRepresentation message) => check(message);
    }
}
