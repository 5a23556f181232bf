using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Messenger.Tests.Browser;

/// <summary>"typing…" in the header and the list; online / last seen in the header (API v1 typing and presence).</summary>
[Collection("browser")]
public sealed class TypingPresenceBrowserTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task The_peer_shows_typing_while_they_type_online_while_connected_and_last_seen_after_they_leave()
    {
        var aliceName = BrowserFixture.NewUsername("typ_a");
        var bobName = BrowserFixture.NewUsername("typ_b");
        await using var alice = await BrowserUser.OpenAsync(fixture, aliceName, output);
        var bob = await BrowserUser.OpenAsync(fixture, bobName, output);
        try
        {
            await alice.SignUpAsync();
            await bob.SignUpAsync();
            await alice.StartConversationAsync(bobName);
            await alice.SendAsync("Hi Bob");
            await Expect(bob.Conversation(aliceName)).ToBeVisibleAsync();

            // They share a conversation now: each sees the other online.
            var header = alice.Page.GetByTestId("chat-presence");
            await Expect(header).ToHaveAttributeAsync("data-state", "online");
            await Expect(header).ToHaveTextAsync("online");
            await bob.OpenConversationAsync(aliceName);
            await Expect(bob.Page.GetByTestId("chat-presence")).ToHaveTextAsync("online");

            // Bob types: Alice sees "typing…" in the header and in the list, instead of the last message.
            await bob.MessageInput.PressSequentiallyAsync("Let me think");
            await Expect(header).ToHaveAttributeAsync("data-state", "typing");
            await Expect(header).ToHaveTextAsync("typing…");
            await Expect(alice.Conversation(bobName).GetByTestId("conversation-typing")).ToBeVisibleAsync();
            await Expect(alice.Conversation(bobName).GetByTestId("conversation-last-message")).ToBeHiddenAsync();
            await Screenshots.SaveAsync(alice.Page, "13-typing");

            // No more keystrokes: it goes away by itself (5 s after the last typing frame).
            await Expect(header).ToHaveAttributeAsync("data-state", "online");
            await Expect(alice.Conversation(bobName).GetByTestId("conversation-typing")).ToBeHiddenAsync();
            await Expect(alice.Conversation(bobName).GetByTestId("conversation-last-message")).ToHaveTextAsync("You: Hi Bob");

            // Typing then sending: the message itself ends the indicator.
            await bob.MessageInput.FillAsync("");
            await bob.MessageInput.PressSequentiallyAsync("Done thinking");
            await Expect(header).ToHaveAttributeAsync("data-state", "typing");
            await bob.MessageInput.PressAsync("Enter");
            await Expect(alice.MessagesWithBody("Done thinking")).ToHaveCountAsync(1);
            await Expect(header).ToHaveAttributeAsync("data-state", "online");
            // Alice's own typing is not shown to herself.
            await alice.MessageInput.PressSequentiallyAsync("ok");
            await Expect(bob.Page.GetByTestId("chat-presence")).ToHaveAttributeAsync("data-state", "typing");
            await Expect(header).Not.ToHaveAttributeAsync("data-state", "typing");
        }
        finally
        {
            await bob.DisposeAsync();
        }

        // Bob's only device is gone: "last seen today at …", live.
        var presence = alice.Page.GetByTestId("chat-presence");
        await Expect(presence).ToHaveAttributeAsync("data-state", "offline");
        await Expect(presence).ToHaveTextAsync(new Regex("^last seen today at \\d{2}:\\d{2}$"));
        await Screenshots.SaveAsync(alice.Page, "14-last-seen");

        // A fresh page asks GET presence when the conversation opens (and watches again).
        await alice.Page.ReloadAsync();
        await alice.ExpectOnlineAsync();
        await Expect(alice.Page.GetByTestId("chat-presence")).ToHaveTextAsync(new Regex("^last seen today at \\d{2}:\\d{2}$"));

        // Bob signs in again elsewhere: online again, live.
        await using var bobAgain = await BrowserUser.OpenAsync(fixture, bobName, output);
        await bobAgain.SignInAsync();
        await Expect(alice.Page.GetByTestId("chat-presence")).ToHaveAttributeAsync("data-state", "online");
    }
}
