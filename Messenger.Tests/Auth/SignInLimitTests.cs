using System.Net;
using Messenger.Tests.Infrastructure;
using Messenger.Web.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace Messenger.Tests.Auth;

/// <summary>Sign-in limits end to end: per account (before any hashing), per client address, and a success resetting them.</summary>
public sealed class SignInLimitTests
{
    private const string Password = "correct horse";

    private static long HashRuns(MessengerServer server) => server.Services.GetRequiredService<PasswordHashing>().Runs;

    [Fact]
    public async Task The_eleventh_wrong_guess_within_a_minute_is_429_without_hashing()
    {
        // No backoff: only the ten-per-minute cap applies. Every guess from another address: it is the account's limit.
        await using var server = await MessengerServer.StartAsync(null, "--Messenger:SignIn:FreeFailures=1000");
        using var alice = await ChatClient.SignUpAsync(server.BaseUrl);
        using var auth = new AuthRequests(server.BaseUrl);
        var before = HashRuns(server);
        for (var i = 1; i <= 10; i++)
        {
            using var wrong = await auth.SignInAsync(alice.UserId, "wrong guess " + i, $"198.51.100.{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        Assert.Equal(before + 10, HashRuns(server));

        using var eleventh = await auth.SignInAsync(alice.UserId, "wrong guess 11", "198.51.100.11");
        Assert.Equal(HttpStatusCode.TooManyRequests, eleventh.StatusCode);
        Assert.Equal("rate_limited", await AuthRequests.CodeOf(eleventh));
        Assert.InRange(AuthRequests.RetryAfterSeconds(eleventh) ?? 0, 1, 60);
        // Even the right password is not checked until the minute has passed: nothing was hashed.
        using var right = await auth.SignInAsync(alice.UserId, Password, "198.51.100.12");
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Equal(before + 10, HashRuns(server));
    }

    [Fact]
    public async Task Failed_sign_ins_back_off_with_retry_after_and_a_success_starts_over()
    {
        // A 5 s first wait (default 1 s): the 4th guess is surely inside it however slow the hashing on this machine.
        await using var server = await MessengerServer.StartAsync(null, "--Messenger:SignIn:BackoffSeconds=5");
        using var alice = await ChatClient.SignUpAsync(server.BaseUrl);
        using var auth = new AuthRequests(server.BaseUrl);
        await ThreeFreeFailuresAsync(auth, alice.UserId);
        var before = HashRuns(server);
        using (var fourth = await auth.SignInAsync(alice.UserId, "wrong 4"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
            Assert.Equal("rate_limited", await AuthRequests.CodeOf(fourth));
            Assert.InRange(AuthRequests.RetryAfterSeconds(fourth) ?? 0, 1, 5);
        }
        Assert.Equal(before, HashRuns(server));

        // Once the backoff has passed the right password works (no lockout) and every failure is forgotten.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            using var attempt = await auth.SignInAsync(alice.UserId, Password);
            if (attempt.StatusCode == HttpStatusCode.OK) break;
            Assert.Equal(HttpStatusCode.TooManyRequests, attempt.StatusCode);
            Assert.True(DateTime.UtcNow < deadline, "the backoff never ended");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
        await ThreeFreeFailuresAsync(auth, alice.UserId);
    }

    private static async Task ThreeFreeFailuresAsync(AuthRequests auth, string userId)
    {
        for (var i = 1; i <= 3; i++)
        {
            using var wrong = await auth.SignInAsync(userId, "wrong " + i);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
    }

    [Fact]
    public async Task Sign_up_and_sign_in_are_limited_per_client_address_the_nearest_forwarded_hop_being_the_client()
    {
        await using var server = await MessengerServer.StartAsync(null,
            "--Messenger:SignIn:ClientBurst=5", "--Messenger:SignIn:ClientPerMinute=1");
        using var auth = new AuthRequests(server.BaseUrl);
        const string stuffer = "198.51.100.7";
        for (var i = 0; i < 5; i++)
        {
            using var guess = await auth.SignInAsync(ChatClient.NewName("x"), "whatever pw", stuffer);
            Assert.Equal(HttpStatusCode.Unauthorized, guess.StatusCode);
        }
        using (var sixth = await auth.SignInAsync(ChatClient.NewName("x"), "whatever pw", stuffer))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
            Assert.Equal("rate_limited", await AuthRequests.CodeOf(sixth));
            Assert.InRange(AuthRequests.RetryAfterSeconds(sixth) ?? 0, 1, 60);
        }
        using (var signUp = await auth.SignUpAsync(ChatClient.NewName("x"), Password, stuffer))
            Assert.Equal(HttpStatusCode.TooManyRequests, signUp.StatusCode);
        // A made-up hop in front of the real one changes nothing: the nearest untrusted address is the client.
        using (var spoofed = await auth.SignInAsync(ChatClient.NewName("x"), "whatever pw", "203.0.113.99, " + stuffer))
            Assert.Equal(HttpStatusCode.TooManyRequests, spoofed.StatusCode);
        // Another client, also through the local proxy (loopback hops are skipped), is not affected.
        using (var other = await auth.SignUpAsync(ChatClient.NewName("x"), Password, "198.51.100.8, 127.0.0.1"))
            Assert.Equal(HttpStatusCode.Created, other.StatusCode);
    }
}
