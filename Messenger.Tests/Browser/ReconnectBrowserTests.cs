using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Messenger.Tests.Browser;

[Collection("browser")]
public sealed class ReconnectBrowserTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_client_that_goes_offline_catches_up_exactly_once_and_in_order_and_can_retry_a_failed_send()
    {
        var aliceName = BrowserFixture.NewUsername("off_a");
        var bobName = BrowserFixture.NewUsername("off_b");
        await using var alice = await BrowserUser.OpenAsync(fixture, aliceName, output);
        await using var bob = await BrowserUser.OpenAsync(fixture, bobName, output);
        await alice.SignUpAsync();
        await bob.SignUpAsync();
        await alice.StartConversationAsync(bobName);
        await alice.SendAsync("before the outage");
        await bob.OpenConversationAsync(aliceName);
        await Expect(bob.Messages).ToHaveCountAsync(1);

        // Bob loses the network.
        await bob.Context.SetOfflineAsync(true);
        await Expect(bob.ConnectionStatus).ToHaveAttributeAsync("data-state", "offline");
        await Expect(bob.Page.GetByTestId("connection-banner")).ToBeVisibleAsync();

        // While he is away, Alice writes (acknowledged by the server).
        var missed = Enumerable.Range(1, 5).Select(i => $"while you were away {i}").ToArray();
        foreach (var text in missed) await alice.SendAsync(text);

        // Bob tries to answer: the bubble fails visibly and offers a retry.
        var reply = await bob.SendAsync("can you hear me?", expectSent: false);
        await Expect(reply).ToHaveAttributeAsync("data-status", "failed");
        await Expect(reply.GetByTestId("retry-button")).ToBeVisibleAsync();
        await Expect(bob.Page.GetByTestId("toast").First).ToBeVisibleAsync();
        var clientMessageId = await reply.GetAttributeAsync("data-client-message-id");
        Assert.False(string.IsNullOrEmpty(clientMessageId));
        await Screenshots.SaveAsync(bob.Page, "08-error-offline");
        await Expect(bob.Messages).ToHaveCountAsync(2);

        // Back online: reconnect, sync, and the missed messages appear once each, in order.
        await bob.Context.SetOfflineAsync(false);
        await Expect(bob.ConnectionStatus).ToHaveAttributeAsync("data-state", "online");
        await Expect(bob.Page.GetByTestId("connection-banner")).ToBeHiddenAsync();
        await Expect(bob.Messages.Filter(new() { HasNotText = "can you hear me?" }).GetByTestId("message-body"))
            .ToHaveTextAsync(new[] { "before the outage" }.Concat(missed).ToArray());
        foreach (var text in missed) await Expect(bob.MessagesWithBody(text)).ToHaveCountAsync(1);

        // Retry reuses the same clientMessageId and goes through.
        await reply.GetByTestId("retry-button").ClickAsync();
        await Expect(reply).ToHaveAttributeAsync("data-status", "sent");
        await Expect(bob.Messages.Filter(new() { HasText = "can you hear me?" })).ToHaveCountAsync(1);
        await Expect(bob.Page.Locator($"[data-testid='message'][data-client-message-id='{clientMessageId}']")).ToHaveCountAsync(1);
        await Expect(alice.MessagesWithBody("can you hear me?")).ToHaveCountAsync(1);

        // The socket drops (no offline event this time) while Alice keeps writing.
        await bob.Page.EvaluateAsync("() => window.messengerDebug.dropConnection()");
        var during = Enumerable.Range(1, 3).Select(i => $"during the reconnect {i}").ToArray();
        foreach (var text in during) await alice.SendAsync(text);
        await Expect(bob.ConnectionStatus).ToHaveAttributeAsync("data-state", "online");
        foreach (var text in during) await Expect(bob.MessagesWithBody(text)).ToHaveCountAsync(1);

        var all = new[] { "before the outage" }.Concat(missed).Concat(new[] { "can you hear me?" }).Concat(during).ToArray();
        await Expect(bob.MessageBodies).ToHaveTextAsync(all);
        await Expect(alice.MessageBodies).ToHaveTextAsync(all);
        var ids = await bob.Messages.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.messageId)");
        Assert.Equal(all.Length, ids.Distinct().Count());
    }
}
