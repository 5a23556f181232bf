using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Messenger.Tests.Browser;

/// <summary>One user in one browser context, driven through the UI's data-testid hooks.</summary>
public sealed class BrowserUser : IAsyncDisposable
{
    public const string Password = "correct-horse-battery";

    private BrowserUser(IBrowserContext context, IPage page, string username)
    {
        Context = context;
        Page = page;
        Username = username;
    }

    public IBrowserContext Context { get; }
    public IPage Page { get; }
    public string Username { get; }

    public ILocator ConnectionStatus => Page.GetByTestId("connection-status");
    public ILocator ConversationItems => Page.GetByTestId("conversation-item");
    public ILocator MessageInput => Page.GetByTestId("message-input");
    public ILocator Messages => Page.GetByTestId("message-list").GetByTestId("message");
    public ILocator MessageBodies => Page.GetByTestId("message-list").GetByTestId("message-body");
    public ILocator Scroller => Page.GetByTestId("message-scroller");

    public ILocator Conversation(string peer) =>
        Page.Locator($"[data-testid='conversation-item'][data-conversation-id='{ConversationId(Username, peer)}']");

    public ILocator UnreadBadge(string peer) => Conversation(peer).GetByTestId("unread-badge");

    /// <summary>Message bubbles whose body is exactly <paramref name="text"/>.</summary>
    public ILocator MessagesWithBody(string text) =>
        Messages.Filter(new LocatorFilterOptions { Has = Page.GetByTestId("message-body").GetByText(text, new LocatorGetByTextOptions { Exact = true }) });

    public static string ConversationId(string a, string b) =>
        string.CompareOrdinal(a, b) < 0 ? $"dm:{a}:{b}" : $"dm:{b}:{a}";

    public static async Task<BrowserUser> OpenAsync(BrowserFixture fixture, string username, ITestOutputHelper? log = null,
        int width = 1280, int height = 800, bool phone = false, Func<IBrowserContext, Task>? beforeNavigate = null)
    {
        var context = await fixture.NewContextAsync(width, height, phone);
        if (beforeNavigate is not null) await beforeNavigate(context);
        var page = await context.NewPageAsync();
        if (log is not null)
        {
            page.Console += (_, m) =>
            {
                if (m.Type is "error" or "warning") Log(log, $"[{username} console.{m.Type}] {m.Text}");
            };
            page.PageError += (_, e) => Log(log, $"[{username} pageerror] {e}");
        }
        await page.GotoAsync("/");
        return new BrowserUser(context, page, username);
    }

    private static void Log(ITestOutputHelper log, string text)
    {
        try { log.WriteLine(text); } catch (InvalidOperationException) { /* test already finished */ }
    }

    public async Task SignUpAsync()
    {
        await Page.GetByTestId("auth-username").FillAsync(Username);
        await Page.GetByTestId("auth-password").FillAsync(Password);
        await Page.GetByTestId("signup-button").ClickAsync();
        await ExpectOnlineAsync();
    }

    public async Task SignInAsync()
    {
        await Page.GetByTestId("auth-username").FillAsync(Username);
        await Page.GetByTestId("auth-password").FillAsync(Password);
        await Page.GetByTestId("signin-button").ClickAsync();
        await ExpectOnlineAsync();
    }

    public async Task ExpectOnlineAsync()
    {
        await Expect(Page.GetByTestId("app-view")).ToBeVisibleAsync();
        await Expect(ConnectionStatus).ToHaveAttributeAsync("data-state", "online");
    }

    public async Task StartConversationAsync(string peer)
    {
        await Page.GetByTestId("new-conversation-input").FillAsync(peer);
        await Page.GetByTestId("new-conversation-button").ClickAsync();
        await Expect(Page.GetByTestId("chat-peer")).ToHaveTextAsync(peer);
        await Expect(Page.GetByTestId("history-status")).ToHaveAttributeAsync("data-state", "start");
    }

    public async Task OpenConversationAsync(string peer)
    {
        await Conversation(peer).ClickAsync();
        await Expect(Page.GetByTestId("chat-peer")).ToHaveTextAsync(peer);
    }

    /// <summary>Types a message, sends it with Enter, and waits for the server's ack.</summary>
    public async Task<ILocator> SendAsync(string text, bool expectSent = true)
    {
        await MessageInput.FillAsync(text);
        await MessageInput.PressAsync("Enter");
        await Expect(MessageInput).ToHaveValueAsync("");
        var bubble = MessagesWithBody(text).Last;
        if (expectSent) await Expect(bubble).ToHaveAttributeAsync("data-status", "sent");
        return bubble;
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
