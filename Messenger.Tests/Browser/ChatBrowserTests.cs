using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Messenger.Tests.Browser;

[Collection("browser")]
public sealed class ChatBrowserTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Two_users_find_each_other_and_chat_both_ways_in_real_time()
    {
        var aliceName = BrowserFixture.NewUsername("alice");
        var bobName = BrowserFixture.NewUsername("bob");
        await using var alice = await BrowserUser.OpenAsync(fixture, aliceName, output);
        await using var bob = await BrowserUser.OpenAsync(fixture, bobName, output);

        await Screenshots.SaveAsync(alice.Page, "01-sign-in");
        await alice.SignUpAsync();
        await bob.SignUpAsync();
        await Expect(alice.Page.GetByTestId("current-user")).ToHaveTextAsync(aliceName);

        // A username that does not exist gets a clear message, not a conversation.
        var missing = BrowserFixture.NewUsername("nobody");
        await alice.Page.GetByTestId("new-conversation-input").FillAsync(missing);
        await alice.Page.GetByTestId("new-conversation-button").ClickAsync();
        await Expect(alice.Page.GetByTestId("new-conversation-error")).ToBeVisibleAsync();
        await Expect(alice.Page.GetByTestId("new-conversation-error")).ToContainTextAsync(missing);
        await Expect(alice.ConversationItems).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(alice.Page, "10-error-unknown-user");

        // Alice finds Bob and writes; the bubble shows "sending" until the ack turns it "sent".
        await alice.StartConversationAsync(bobName);
        await Expect(alice.Page.GetByTestId("new-conversation-error")).ToBeHiddenAsync();
        var first = await alice.SendAsync("Hi Bob! 👋");
        await Expect(first).ToHaveAttributeAsync("data-message-id", new System.Text.RegularExpressions.Regex(".+"));
        // Sent ✓ at least; Bob's client is online, so it may already say delivered (or read).
        await Expect(first.GetByTestId("message-status")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(Sent|Delivered|Read)$"));

        // Bob gets the conversation live, with an unread badge and the last message.
        await Expect(bob.Conversation(aliceName)).ToBeVisibleAsync();
        await Expect(bob.UnreadBadge(aliceName)).ToHaveTextAsync("1");
        await Expect(bob.Conversation(aliceName).GetByTestId("conversation-last-message")).ToHaveTextAsync("Hi Bob! 👋");
        await bob.OpenConversationAsync(aliceName);
        await Expect(bob.MessagesWithBody("Hi Bob! 👋")).ToHaveCountAsync(1);
        await Expect(bob.MessagesWithBody("Hi Bob! 👋")).ToHaveAttributeAsync("data-from", aliceName);
        await Expect(bob.UnreadBadge(aliceName)).ToBeHiddenAsync();

        // Bob answers; Alice sees it without reloading.
        await bob.SendAsync("Hello Alice, good to see you.");
        await Expect(alice.MessagesWithBody("Hello Alice, good to see you.")).ToHaveCountAsync(1);
        await Expect(alice.MessagesWithBody("Hello Alice, good to see you.")).ToHaveAttributeAsync("data-status", "received");

        // A quick exchange arrives in the same order on both sides.
        await alice.SendAsync("How are you?");
        await alice.SendAsync("<b>not bold</b> & <script>alert(1)</script>");
        await bob.SendAsync("Fine, thanks!");
        var expected = new[]
        {
            "Hi Bob! 👋", "Hello Alice, good to see you.", "How are you?",
            "<b>not bold</b> & <script>alert(1)</script>", "Fine, thanks!",
        };
        await Expect(alice.MessageBodies).ToHaveTextAsync(expected);
        await Expect(bob.MessageBodies).ToHaveTextAsync(expected);
        // User text is text, never markup.
        await Expect(bob.Page.Locator("[data-testid='message-body'] b")).ToHaveCountAsync(0);
        await Expect(bob.Page.Locator("[data-testid='message-list'] script")).ToHaveCountAsync(0);

        // Mine on the right, theirs on the left.
        var mine = await alice.MessagesWithBody("How are you?").Locator(".bubble").BoundingBoxAsync();
        var theirs = await alice.MessagesWithBody("Fine, thanks!").Locator(".bubble").BoundingBoxAsync();
        Assert.NotNull(mine);
        Assert.NotNull(theirs);
        Assert.True(mine!.X + mine.Width > theirs!.X + theirs.Width, "own bubbles are right-aligned");
        Assert.True(theirs.X < mine.X, "peer bubbles are left-aligned");

        await Screenshots.SaveAsync(alice.Page, "03-conversation-desktop");

        // A third user writes to Alice: the conversation bumps to the top of her list with a badge.
        var carolName = BrowserFixture.NewUsername("carol");
        await using (var carol = await BrowserUser.OpenAsync(fixture, carolName, output))
        {
            await carol.SignUpAsync();
            await carol.StartConversationAsync(aliceName);
            await carol.SendAsync("Hey Alice, it's Carol");
        }
        await Expect(alice.ConversationItems.First).ToHaveAttributeAsync("data-conversation-id", BrowserUser.ConversationId(aliceName, carolName));
        await Expect(alice.UnreadBadge(carolName)).ToHaveTextAsync("1");
        await Expect(alice.UnreadBadge(bobName)).ToBeHiddenAsync();
        await Screenshots.SaveAsync(alice.Page, "02-conversation-list");

        // After a reload (same tab session) the conversations and history come back from the server.
        await bob.Page.ReloadAsync();
        await bob.ExpectOnlineAsync();
        await Expect(bob.Page.GetByTestId("chat-peer")).ToHaveTextAsync(aliceName);
        await Expect(bob.MessageBodies).ToHaveTextAsync(expected);

        // Sign out returns to the sign-in form and forgets the session.
        await bob.Page.GetByTestId("signout-button").ClickAsync();
        await Expect(bob.Page.GetByTestId("auth-view")).ToBeVisibleAsync();
        await bob.Page.ReloadAsync();
        await Expect(bob.Page.GetByTestId("auth-view")).ToBeVisibleAsync();
        await bob.SignInAsync();
        await Expect(bob.Conversation(aliceName)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Phone_sized_window_shows_one_pane_with_a_back_button_and_works_from_the_keyboard()
    {
        var meName = BrowserFixture.NewUsername("pat");
        var peerName = BrowserFixture.NewUsername("sam");
        await using var peer = await BrowserUser.OpenAsync(fixture, peerName, output);
        await peer.SignUpAsync();
        await using var me = await BrowserUser.OpenAsync(fixture, meName, output, width: 390, height: 844, phone: true);

        await Screenshots.SaveAsync(me.Page, "05-sign-in-phone");

        // Keyboard only: type, Tab to the password, Tab to "Sign in", Tab to "Create account", Enter.
        await me.Page.GetByTestId("auth-username").FocusAsync();
        await me.Page.Keyboard.TypeAsync(meName);
        await me.Page.Keyboard.PressAsync("Tab");
        await Expect(me.Page.GetByTestId("auth-password")).ToBeFocusedAsync();
        await me.Page.Keyboard.TypeAsync(BrowserUser.Password);
        await me.Page.Keyboard.PressAsync("Tab");
        await Expect(me.Page.GetByTestId("signin-button")).ToBeFocusedAsync();
        await me.Page.Keyboard.PressAsync("Tab");
        await Expect(me.Page.GetByTestId("signup-button")).ToBeFocusedAsync();
        await me.Page.Keyboard.PressAsync("Enter");
        await me.ExpectOnlineAsync();

        // The list pane alone; then the chat pane alone, with a back button.
        await Expect(me.Page.GetByTestId("chat-pane")).ToBeHiddenAsync();
        await me.Page.GetByTestId("new-conversation-input").FocusAsync();
        await me.Page.Keyboard.TypeAsync(peerName);
        await me.Page.Keyboard.PressAsync("Enter");
        await Expect(me.Page.GetByTestId("chat-peer")).ToHaveTextAsync(peerName);
        await Expect(me.Page.GetByTestId("new-conversation-input")).ToBeHiddenAsync();
        await Expect(me.Page.GetByTestId("back-button")).ToBeVisibleAsync();

        await me.MessageInput.FocusAsync();
        await me.Page.Keyboard.TypeAsync("Sent from my phone");
        await me.Page.Keyboard.PressAsync("Enter");
        await Expect(me.MessagesWithBody("Sent from my phone")).ToHaveAttributeAsync("data-status", "sent");
        await Expect(peer.Conversation(meName)).ToBeVisibleAsync();
        await peer.OpenConversationAsync(meName);
        await peer.SendAsync("Got it, replying from a desktop. This reply is long enough to wrap over a few lines on a phone-sized screen.");
        await Expect(me.Messages).ToHaveCountAsync(2);
        await Screenshots.SaveAsync(me.Page, "04-conversation-phone");
        await me.Page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        await Screenshots.SaveAsync(me.Page, "04b-conversation-phone-dark");
        await me.Page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Light });

        await me.Page.GetByTestId("back-button").ClickAsync();
        await Expect(me.Page.GetByTestId("chat-pane")).ToBeHiddenAsync();
        await Expect(me.Conversation(peerName)).ToBeVisibleAsync();
        await Expect(me.Conversation(peerName).GetByRole(AriaRole.Button)).ToBeFocusedAsync();
        await Screenshots.SaveAsync(me.Page, "06-conversation-list-phone");
    }
}
