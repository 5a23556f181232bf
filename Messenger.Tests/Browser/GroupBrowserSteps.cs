using System.Text.Json;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Messenger.Tests.Browser;

/// <summary>Group steps of one browser user, driven through the UI's data-testid hooks (API v2 groups).</summary>
public static class GroupBrowserSteps
{
    /// <summary>Creates a group in the new-group dialog (members typed comma-separated) and returns its id.</summary>
    public static async Task<string> CreateGroupAsync(this BrowserUser user, string name, params string[] members)
    {
        var page = user.Page;
        await page.GetByTestId("new-group-button").ClickAsync();
        await Expect(page.GetByTestId("group-dialog")).ToBeVisibleAsync();
        await page.GetByTestId("group-name-input").FillAsync(name);
        await page.GetByTestId("group-members-input").FillAsync(string.Join(", ", members));
        await page.GetByTestId("group-create-submit").ClickAsync();
        await Expect(page.GetByTestId("group-dialog")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("chat-peer")).ToHaveTextAsync(name);
        var id = await page.GetByTestId("chat-pane").Locator("#chat-open").GetAttributeAsync("data-conversation-id");
        Assert.StartsWith("grp:", id);
        return id!;
    }

    public static ILocator Group(this BrowserUser user, string conversationId) =>
        user.Page.Locator($"[data-testid='conversation-item'][data-conversation-id='{conversationId}']");

    public static async Task OpenGroupAsync(this BrowserUser user, string conversationId, string name)
    {
        await user.Group(conversationId).ClickAsync();
        await Expect(user.Page.GetByTestId("chat-peer")).ToHaveTextAsync(name);
    }

    public static ILocator SystemLines(this BrowserUser user) =>
        user.Page.GetByTestId("message-list").GetByTestId("system-message");

    public static ILocator SystemLine(this BrowserUser user, string text) =>
        user.SystemLines().Filter(new LocatorFilterOptions { HasText = text });

    public static ILocator Panel(this BrowserUser user) => user.Page.GetByTestId("group-panel");

    public static ILocator PanelMember(this BrowserUser user, string userId) =>
        user.Panel().Locator($"[data-testid='group-member'][data-user-id='{userId}']");

    public static async Task OpenMembersPanelAsync(this BrowserUser user)
    {
        await user.Page.GetByTestId("group-info-button").ClickAsync();
        await Expect(user.Panel()).ToBeVisibleAsync();
    }

    public static async Task AddMemberAsync(this BrowserUser user, string userId)
    {
        await user.Panel().GetByTestId("group-add-input").FillAsync(userId);
        await user.Panel().GetByTestId("group-add-button").ClickAsync();
        await Expect(user.PanelMember(userId)).ToBeVisibleAsync();
        await Expect(user.Panel().GetByTestId("group-add-input")).ToHaveValueAsync("");
    }

    /// <summary>Posts a message with this user's token straight to the API: (HTTP status, error code or null).</summary>
    public static async Task<(int Status, string? Code)> PostMessageAsync(this BrowserUser user, string to, string body)
    {
        var result = await user.Page.EvaluateAsync<JsonElement>(
            """
            async ([to, body, cmid]) => {
              const s = JSON.parse(sessionStorage.getItem('messenger.session'));
              const r = await fetch('/api/messages', {
                method: 'POST',
                headers: { 'Content-Type': 'application/json', 'Authorization': 'Bearer ' + s.token },
                body: JSON.stringify({ clientMessageId: cmid, to, body }),
              });
              let code = null;
              try { code = (await r.json()).code ?? null; } catch { }
              return { status: r.status, code };
            }
            """,
            new object[] { to, body, Guid.NewGuid().ToString() });
        var code = result.GetProperty("code");
        return (result.GetProperty("status").GetInt32(), code.ValueKind == JsonValueKind.String ? code.GetString() : null);
    }
}
