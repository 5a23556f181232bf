using Messenger.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Messenger.Tests.Browser;

[Collection("browser")]
public sealed class HistoryBrowserTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private const int Total = 120;

    [Fact]
    public async Task Scrolling_up_pages_back_through_a_long_history_without_gaps_or_duplicates()
    {
        var aliceName = BrowserFixture.NewUsername("hist_a");
        var bobName = BrowserFixture.NewUsername("hist_b");
        var expected = Enumerable.Range(1, Total).Select(i => $"history message {i:D3}").ToArray();

        using (var aliceApi = await ChatClient.SignUpAsync(fixture.Server.BaseUrl, aliceName, BrowserUser.Password))
        using (var bobApi = await ChatClient.SignUpAsync(fixture.Server.BaseUrl, bobName, BrowserUser.Password))
        {
            for (var i = 0; i < Total; i++)
            {
                // Mostly Alice, with some replies from Bob, so there are groups on both sides.
                if (i % 7 == 3) await bobApi.SendAsync(aliceName, expected[i]);
                else await aliceApi.SendAsync(bobName, expected[i]);
            }
        }

        await using var bob = await BrowserUser.OpenAsync(fixture, bobName, output);
        await bob.SignInAsync();
        await Expect(bob.UnreadBadge(aliceName)).ToBeVisibleAsync();
        await Expect(bob.Conversation(aliceName).GetByTestId("conversation-last-message")).ToContainTextAsync(expected[^1]);
        await bob.OpenConversationAsync(aliceName);

        // The newest page first, scrolled to the bottom.
        await Expect(bob.Messages).ToHaveCountAsync(50);
        await Expect(bob.MessageBodies.Last).ToHaveTextAsync(expected[^1]);
        await Expect(bob.MessageBodies.First).ToHaveTextAsync(expected[Total - 50]);
        await Expect(bob.MessageBodies.Last).ToBeInViewportAsync();
        await Expect(bob.UnreadBadge(aliceName)).ToBeHiddenAsync();

        // Scroll to the top until the start of the conversation is reached.
        for (var round = 0; round < 10; round++)
        {
            if (await bob.Messages.CountAsync() >= Total) break;
            var before = await bob.Messages.CountAsync();
            await bob.Scroller.EvaluateAsync("el => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); }");
            await Expect(bob.Messages).Not.ToHaveCountAsync(before);
        }

        await Expect(bob.Messages).ToHaveCountAsync(Total);
        await Expect(bob.Page.GetByTestId("history-status")).ToHaveAttributeAsync("data-state", "start");
        await Expect(bob.MessagesWithBody(expected[0])).ToHaveCountAsync(1);
        await Expect(bob.MessageBodies).ToHaveTextAsync(expected);

        // Each message id appears once.
        var ids = await bob.Messages.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.messageId)");
        Assert.Equal(Total, ids.Distinct().Count());
        Assert.DoesNotContain(ids, string.IsNullOrEmpty);

        await bob.MessagesWithBody(expected[0]).ScrollIntoViewIfNeededAsync();
        await Screenshots.SaveAsync(bob.Page, "07-history-start");

        // The read marker reached the server: after a reload the conversation has no unread badge.
        await bob.Page.EvaluateAsync("() => { location.hash = '#/'; }");
        await bob.Page.ReloadAsync();
        await bob.ExpectOnlineAsync();
        await Expect(bob.Conversation(aliceName)).ToBeVisibleAsync();
        await Expect(bob.UnreadBadge(aliceName)).ToBeHiddenAsync();
        await Expect(bob.Page.GetByTestId("chat-placeholder")).ToBeVisibleAsync();
    }
}
