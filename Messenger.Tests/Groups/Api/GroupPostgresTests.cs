using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Groups.Api;

/// <summary>The main group flow (<see cref="GroupScenarios.CreateSendAndAgreeAsync"/>) on a PostgreSQL journal.</summary>
[Collection(PostgresCollection.Name)]
public sealed class GroupPostgresTests(PostgresServer postgres)
{
    [Fact]
    public async Task Create_and_sends_reach_every_member_and_every_copy_agrees_on_PostgreSQL()
    {
        var connectionString = await postgres.CreateDatabaseAsync("groups");
        await using var server = await MessengerServer.StartAsync(null,
            "--Messenger:Journal", "postgresql", "--Messenger:ConnectionString", connectionString);
        await GroupScenarios.CreateSendAndAgreeAsync(server.BaseUrl);
    }
}
