namespace Messenger.Tests.Infrastructure;

/// <summary>One running messenger shared by the tests of a class (each test uses fresh users).</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public MessengerServer Server { get; private set; } = null!;
    public Uri BaseUrl => Server.BaseUrl;

    public async Task InitializeAsync() => Server = await MessengerServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
