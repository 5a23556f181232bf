using Microsoft.Playwright;

namespace Messenger.Tests.Browser;

/// <summary>
/// Starts Playwright against the system Chromium. It never downloads a browser: the
/// executable is /usr/bin/chromium (the test script installs it), or MESSENGER_CHROMIUM.
/// </summary>
public static class ChromiumLauncher
{
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("MESSENGER_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"Chromium not found at {ExecutablePath}. Install it (apt-get install -y chromium); " +
                "the browser tests never download one.");
        }

        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = new[]
                {
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                },
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
