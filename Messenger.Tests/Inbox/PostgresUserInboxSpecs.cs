using Messenger.Node.Storage;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Inbox;

/// <summary>
/// The same inbox specs on PostgreSQL (the cluster journal), against the test run's throwaway server: each test gets
/// a database of its own, prepared by <see cref="JournalDatabase.PrepareAsync"/> exactly as a shard host prepares it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresUserInboxSpecs : UserInboxSpecs
{
    public PostgresUserInboxSpecs(PostgresServer postgres, ITestOutputHelper output)
        : base(SpecDatabases.Postgres(postgres, "inbox"), output)
    {
    }
}
