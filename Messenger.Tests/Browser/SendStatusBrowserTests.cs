using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Messenger.Tests.Browser;

[Collection("browser")]
public sealed class SendStatusBrowserTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_message_shows_sending_until_acked_and_an_error_frame_offers_a_retry_with_the_same_clientMessageId()
    {
        var aliceName = BrowserFixture.NewUsername("snd_a");
        var bobName = BrowserFixture.NewUsername("snd_b");
        var proxy = new SocketProxy();
        await using var alice = await BrowserUser.OpenAsync(fixture, aliceName, output, beforeNavigate: proxy.InstallAsync);
        await using var bob = await BrowserUser.OpenAsync(fixture, bobName, output);
        await alice.SignUpAsync();
        await bob.SignUpAsync();
        await alice.StartConversationAsync(bobName);

        // Hold the server's ack: the bubble is there at once, "sending".
        proxy.HoldAcks = true;
        var first = await alice.SendAsync("waiting for the ack", expectSent: false);
        await Expect(first).ToHaveAttributeAsync("data-status", "sending");
        await Expect(first.GetByTestId("message-status")).ToHaveTextAsync("Sending…");
        await Expect(bob.Conversation(aliceName)).ToBeVisibleAsync(); // the server did store it
        proxy.HoldAcks = false;
        proxy.ReleaseHeldAcks();
        await Expect(first).ToHaveAttributeAsync("data-status", "sent");

        // An `unavailable` error frame fails the message visibly; Retry resends the same clientMessageId.
        foreach (var code in new[] { "unavailable", "rate_limited" })
        {
            var text = $"this one hits {code}";
            proxy.FailNextSendWith = code;
            var bubble = await alice.SendAsync(text, expectSent: false);
            await Expect(bubble).ToHaveAttributeAsync("data-status", "failed");
            await Expect(bubble.GetByTestId("retry-button")).ToBeVisibleAsync();
            await Expect(alice.Page.GetByTestId("toast").First).ToBeVisibleAsync();
            if (code == "unavailable") await Screenshots.SaveAsync(alice.Page, "09-error-send-failed");

            await bubble.GetByTestId("retry-button").ClickAsync();
            await Expect(bubble).ToHaveAttributeAsync("data-status", "sent");
            await Expect(bubble.GetByTestId("retry-button")).ToBeHiddenAsync();
            var ids = proxy.SentClientMessageIds(text);
            Assert.Equal(2, ids.Count);
            Assert.Equal(ids[0], ids[1]);
            Assert.Equal(ids[0], await bubble.GetAttributeAsync("data-client-message-id"));
        }

        await bob.OpenConversationAsync(aliceName);
        await Expect(bob.MessageBodies).ToHaveTextAsync(new[]
        {
            "waiting for the ack", "this one hits unavailable", "this one hits rate_limited",
        });
    }

    /// <summary>Sits between the page and the server's /ws: can hold acks and fake error frames.</summary>
    private sealed class SocketProxy
    {
        private readonly ConcurrentQueue<string> _clientFrames = new();
        private readonly ConcurrentQueue<string> _heldAcks = new();
        private IWebSocketRoute? _page;

        public volatile bool HoldAcks;
        public string? FailNextSendWith;

        public Task InstallAsync(IBrowserContext context) =>
            context.RouteWebSocketAsync(new Regex(@"/ws(\?|$)"), ws =>
            {
                _page = ws;
                var server = ws.ConnectToServer();
                ws.OnMessage(frame =>
                {
                    var text = frame.Text ?? "";
                    using var doc = JsonDocument.Parse(text);
                    if (Type(doc) == "send")
                    {
                        _clientFrames.Enqueue(text);
                        if (Interlocked.Exchange(ref FailNextSendWith, null) is { } code)
                        {
                            var cmid = doc.RootElement.GetProperty("clientMessageId").GetString();
                            ws.Send(JsonSerializer.Serialize(new { type = "error", code, message = $"injected {code}", clientMessageId = cmid }));
                            return;
                        }
                    }
                    server.Send(text);
                });
                server.OnMessage(frame =>
                {
                    var text = frame.Text ?? "";
                    using var doc = JsonDocument.Parse(text);
                    if (HoldAcks && Type(doc) == "sent") _heldAcks.Enqueue(text);
                    else ws.Send(text);
                });
            });

        public void ReleaseHeldAcks()
        {
            while (_heldAcks.TryDequeue(out var text)) _page!.Send(text);
        }

        public List<string> SentClientMessageIds(string body) =>
            _clientFrames
                .Select(t => JsonDocument.Parse(t).RootElement)
                .Where(e => e.GetProperty("body").GetString() == body)
                .Select(e => e.GetProperty("clientMessageId").GetString()!)
                .ToList();

        private static string? Type(JsonDocument doc) =>
            doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("type", out var t) ? t.GetString() : null;
    }
}
