using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Metrics;

/// <summary>
/// One messenger in its own OS process (<c>dotnet Messenger.Web.dll</c>, SQLite on a temp data dir), for specs that
/// read the process's own metrics: ASP.NET Core's and Kestrel's meters belong to one host each, and in a process
/// hosting several test servers a scrape could not say whose they are.
/// </summary>
public sealed class WebProcessFixture : IAsyncLifetime
{
    private string _dataDir = "";

    public NodeProcess Node { get; private set; } = null!;
    public Uri BaseUrl => Node.BaseUrl!;

    public async Task InitializeAsync()
    {
        _dataDir = TempDirs.Create("messenger-metrics");
        Node = NodeProcess.StartWeb("metrics", _dataDir, MessengerServer.FreePort(), ["--Messenger:DataDir", _dataDir]);
        await Node.WaitReadyAsync(TimeSpan.FromSeconds(90));
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        TempDirs.TryDelete(_dataDir);
    }
}
