using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Messenger.Tests.Browser;

/// <summary>Ticks on own messages (API v1 receipts), driven by two real browsers against the real server.</summary>
[Collection("browser")]
public sealed class ReceiptsBrowserTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private const string ReadTickColour = "rgb(29, 155, 240)";

    [Fact]
    public async Task A_tick_turns_from_sent_to_delivered_when_the_peer_comes_online_and_to_read_when_the_peer_opens_the_conversation()
    {
        var aliceName = BrowserFixture.NewUsername("rcp_a");
        var bobName = BrowserFixture.NewUsername("rcp_b");
        await using var alice = await BrowserUser.OpenAsync(fixture, aliceName, output);
        await using var bob = await BrowserUser.OpenAsync(fixture, bobName, output);
        await alice.SignUpAsync();
        await bob.SignUpAsync();
        await alice.StartConversationAsync(bobName);

        // Bob is offline: the message is stored (sent ✓) but no device of his holds it.
        await bob.Context.SetOfflineAsync(true);
        await Expect(bob.ConnectionStatus).ToHaveAttributeAsync("data-state", "offline");
        var bubble = await alice.SendAsync("Are you there?");
        await Expect(bubble).ToHaveAttributeAsync("data-receipt", "sent");
        await Expect(bubble.GetByTestId("message-status")).ToHaveTextAsync("Sent");
        await Screenshots.SaveAsync(alice.Page, "11-ticks-sent");

        // Bob's client comes back, syncs and acknowledges with `received`: delivered ✓✓, live on Alice's screen.
        await bob.Context.SetOfflineAsync(false);
        await Expect(bob.ConnectionStatus).ToHaveAttributeAsync("data-state", "online");
        await Expect(bob.UnreadBadge(aliceName)).ToHaveTextAsync("1");
        await Expect(bubble).ToHaveAttributeAsync("data-receipt", "delivered");
        await Expect(bubble.GetByTestId("message-status")).ToHaveTextAsync("Delivered");

        // Bob opens the conversation: read ✓✓ in colour, without Alice reloading.
        await bob.OpenConversationAsync(aliceName);
        await Expect(bob.UnreadBadge(aliceName)).ToBeHiddenAsync();
        await Expect(bubble).ToHaveAttributeAsync("data-receipt", "read");
        await Expect(bubble.GetByTestId("message-status")).ToHaveTextAsync("Read");
        await Expect(bubble.GetByTestId("message-status")).ToHaveCSSAsync("color", ReadTickColour);

        // A newer message starts again at delivered (Bob holds it, he reads it while looking at the conversation).
        var second = await alice.SendAsync("Good, you are.");
        await Expect(bob.MessagesWithBody("Good, you are.")).ToHaveCountAsync(1);
        await Expect(second).ToHaveAttributeAsync("data-receipt", "read");
        await Expect(bubble).ToHaveAttributeAsync("data-receipt", "read");
        // Bob's own bubbles carry no ticks of Alice's messages.
        await Expect(bob.MessagesWithBody("Are you there?")).Not.ToHaveAttributeAsync("data-receipt", new System.Text.RegularExpressions.Regex(".*"));
        await Screenshots.SaveAsync(alice.Page, "12-ticks-read");
    }

    [Fact]
    public async Task After_a_reconnect_the_ticks_catch_up_from_the_conversation_receipts()
    {
        var aliceName = BrowserFixture.NewUsername("rcq_a");
        var bobName = BrowserFixture.NewUsername("rcq_b");
        await using var alice = await BrowserUser.OpenAsync(fixture, aliceName, output);
        await using var bob = await BrowserUser.OpenAsync(fixture, bobName, output);
        await alice.SignUpAsync();
        await bob.SignUpAsync();
        await alice.StartConversationAsync(bobName);
        var bubble = await alice.SendAsync("Read this while I am away");
        await Expect(bubble).ToHaveAttributeAsync("data-receipt", "delivered");

        // Alice drops off; Bob reads meanwhile (the receipt frame has no socket to go to).
        await alice.Context.SetOfflineAsync(true);
        await Expect(alice.ConnectionStatus).ToHaveAttributeAsync("data-state", "offline");
        await bob.OpenConversationAsync(aliceName);
        await Expect(bob.UnreadBadge(aliceName)).ToBeHiddenAsync();
        await Expect(bubble).ToHaveAttributeAsync("data-receipt", "delivered");

        // Back online, the client refreshes the markers from GET /api/conversations.
        await alice.Context.SetOfflineAsync(false);
        await Expect(alice.ConnectionStatus).ToHaveAttributeAsync("data-state", "online");
        await Expect(bubble).ToHaveAttributeAsync("data-receipt", "read");

        // A fresh page (sign-in state kept in the tab) shows the same ticks from the first page of conversations.
        await alice.Page.ReloadAsync();
        await alice.ExpectOnlineAsync();
        await Expect(alice.MessagesWithBody("Read this while I am away")).ToHaveAttributeAsync("data-receipt", "read");
    }

    [Fact]
    public async Task Reading_on_one_device_clears_the_unread_badge_on_the_readers_other_device_live()
    {
        var aliceName = BrowserFixture.NewUsername("rcd_a");
        var bobName = BrowserFixture.NewUsername("rcd_b");
        await using var alice = await BrowserUser.OpenAsync(fixture, aliceName, output);
        await using var bobPhone = await BrowserUser.OpenAsync(fixture, bobName, output, width: 390, height: 844, phone: true);
        await alice.SignUpAsync();
        await bobPhone.SignUpAsync();
        await using var bobDesk = await BrowserUser.OpenAsync(fixture, bobName, output);
        await bobDesk.SignInAsync();

        await alice.StartConversationAsync(bobName);
        var bubble = await alice.SendAsync("One for both of your devices");
        await alice.SendAsync("And another");
        await Expect(bobPhone.UnreadBadge(aliceName)).ToHaveTextAsync("2");
        await Expect(bobDesk.UnreadBadge(aliceName)).ToHaveTextAsync("2");
        await Expect(bubble).ToHaveAttributeAsync("data-receipt", "delivered");

        // Bob reads on the desktop; his phone (still on the list) drops the badge, Alice's ticks turn read.
        await bobDesk.OpenConversationAsync(aliceName);
        await Expect(bobPhone.UnreadBadge(aliceName)).ToBeHiddenAsync();
        await Expect(alice.MessagesWithBody("And another")).ToHaveAttributeAsync("data-receipt", "read");
        await Expect(bubble).ToHaveAttributeAsync("data-receipt", "read");
    }
}
