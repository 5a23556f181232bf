using Messenger.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit;

namespace Messenger.Tests.Browser;

/// <summary>Browser tests share one messenger and one Chromium, and never run in parallel.</summary>
[CollectionDefinition("browser", DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
}

public sealed class BrowserFixture : IAsyncLifetime
{
    public const float TimeoutMs = 30_000;

    public MessengerServer Server { get; private set; } = null!;
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(TimeoutMs);
        Server = await MessengerServer.StartAsync();
        (Playwright, Browser) = await ChromiumLauncher.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        Playwright?.Dispose();
        if (Server is not null) await Server.DisposeAsync();
    }

    /// <summary>A fresh browser context (its own cookies and sessionStorage: one user).</summary>
    public async Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 800, bool phone = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            DeviceScaleFactor = phone ? 2 : 1,
            IsMobile = phone,
            HasTouch = phone,
            Locale = "en-GB",
            TimezoneId = "UTC",
            ColorScheme = ColorScheme.Light,
        });
        context.SetDefaultTimeout(TimeoutMs);
        return context;
    }

    public static string NewUsername(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 13)];
}
