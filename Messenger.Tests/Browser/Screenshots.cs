using Microsoft.Playwright;

namespace Messenger.Tests.Browser;

/// <summary>Writes screenshots to &lt;repo&gt;/artifacts/screenshots/.</summary>
public static class Screenshots
{
    public static string Directory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Messenger.sln"))) dir = dir.Parent;
            var root = dir?.FullName ?? AppContext.BaseDirectory;
            var path = Path.Combine(root, "artifacts", "screenshots");
            System.IO.Directory.CreateDirectory(path);
            return path;
        }
    }

    public static async Task<string> SaveAsync(IPage page, string name)
    {
        var path = Path.Combine(Directory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, Animations = ScreenshotAnimations.Disabled });
        return path;
    }
}
