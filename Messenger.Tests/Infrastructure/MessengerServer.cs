using System.Net;
using System.Net.Sockets;
using Messenger.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Messenger.Tests.Infrastructure;

/// <summary>
/// The whole messenger (web node + shard host, SQLite under a temp data dir) started in-process on a free loopback
/// port, exactly as <c>dotnet run --project Messenger.Web</c> starts it. Dispose stops it (CoordinatedShutdown).
/// </summary>
public sealed class MessengerServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly bool _ownsDataDir;

    private MessengerServer(WebApplication app, Uri baseUrl, string dataDir, bool ownsDataDir)
    {
        _app = app;
        BaseUrl = baseUrl;
        DataDir = dataDir;
        _ownsDataDir = ownsDataDir;
    }

    public Uri BaseUrl { get; }
    public string DataDir { get; }
    public IServiceProvider Services => _app.Services;

    public static async Task<MessengerServer> StartAsync(string? dataDir = null, params string[] extraArgs)
    {
        // A free port can be taken by another test between finding and binding it: try another.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnFreePortAsync(dataDir, extraArgs);
            }
            catch (IOException e) when (attempt < 5 && e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
            }
        }
    }

    private static async Task<MessengerServer> StartOnFreePortAsync(string? dataDir, string[] extraArgs)
    {
        var owns = dataDir is null;
        dataDir ??= TempDirs.Create("messenger-data");
        var baseUrl = new Uri($"http://127.0.0.1:{FreePort()}");
        var args = new List<string> { "--urls", baseUrl.ToString().TrimEnd('/'), "--Messenger:DataDir", dataDir };
        args.AddRange(extraArgs);
        var app = await MessengerApp.BuildAsync(args.ToArray());
        try
        {
            await app.StartAsync();
        }
        catch (IOException)
        {
            await app.DisposeAsync();
            if (owns) TempDirs.TryDelete(dataDir);
            throw;
        }
        var server = new MessengerServer(app, baseUrl, dataDir, owns);
        await server.WaitReadyAsync();
        return server;
    }

    public async Task WaitReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseUrl };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                var response = await http.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("messenger did not become ready");
            await Task.Delay(100);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops the node but keeps its data dir, for restart tests.</summary>
    public async Task StopAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (ObjectDisposedException)
        {
        }
        if (_ownsDataDir) TempDirs.TryDelete(DataDir);
    }
}

public static class TempDirs
{
    public static string Create(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
