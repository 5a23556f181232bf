using Messenger.Messages.Accounts;
using Messenger.Web.Auth;

namespace Messenger.Tests.Auth;

/// <summary>
/// A node's token checks: one Ask to the account on a miss (shared by concurrent misses), none after; published
/// changes applied only when newer. The test actor stands where the account shard region is.
/// </summary>
public sealed class SessionCacheSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly DateTime Later = DateTime.UtcNow.AddDays(1);
    private readonly SessionCache _cache;

    public SessionCacheSpecs()
    {
        _cache = new SessionCache(new AccountRegion(_ => Task.FromResult(TestActor)));
    }

    private static TokenSession Token(long generation, string id = "t1") => new("alice", generation, id, Later);

    private static AccountReplies.Sessions Sessions(long version, long generation, params string[] revoked) =>
        new("alice", version, generation, revoked);

    [Fact]
    public async Task A_miss_asks_the_account_once_for_every_concurrent_check_and_later_checks_ask_nothing()
    {
        var checks = Enumerable.Range(0, 10).Select(_ => _cache.AllowsAsync(Token(0), CancellationToken.None).AsTask()).ToList();
        ExpectMsg<AccountCommands.GetSessions>(m => m.Username == "alice");
        LastSender.Tell(Sessions(1, 0), TestActor);
        // Only one Ask was answered: every check completing proves they shared it.
        Assert.All(await Task.WhenAll(checks).WaitAsync(TimeSpan.FromSeconds(10)), allowed => Assert.True(allowed));

        for (var i = 0; i < 100; i++)
        {
            var hit = _cache.AllowsAsync(Token(0, "t" + i), CancellationToken.None);
            Assert.True(hit.IsCompletedSuccessfully, "a cached check waited for something");
            Assert.True(await hit);
        }
    }

    [Fact]
    public async Task A_published_change_ends_tokens_at_once_and_tells_their_watchers()
    {
        _cache.Apply(Sessions(1, 0));
        var phoneRevoked = new TaskCompletionSource();
        var laptopRevoked = new TaskCompletionSource();
        using var phone = _cache.Watch(Token(0, "phone"), () => phoneRevoked.TrySetResult());
        using var laptop = _cache.Watch(Token(0, "laptop"), () => laptopRevoked.TrySetResult());

        _cache.Apply(Sessions(2, 0, "phone"));
        await phoneRevoked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(laptopRevoked.Task.IsCompleted);
        Assert.False(await _cache.AllowsAsync(Token(0, "phone"), CancellationToken.None));
        Assert.True(await _cache.AllowsAsync(Token(0, "laptop"), CancellationToken.None));

        _cache.Apply(Sessions(3, 1));
        await laptopRevoked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(await _cache.AllowsAsync(Token(0, "laptop"), CancellationToken.None));
    }

    [Fact]
    public async Task An_older_description_never_replaces_a_newer_one()
    {
        _cache.Apply(Sessions(5, 2));
        _cache.Apply(Sessions(4, 1));
        Assert.True(await _cache.AllowsAsync(Token(2), CancellationToken.None));
        Assert.False(await _cache.AllowsAsync(Token(1), CancellationToken.None));
    }

    [Fact]
    public async Task A_token_newer_than_what_this_node_heard_of_asks_the_account()
    {
        _cache.Apply(Sessions(1, 0));
        var check = _cache.AllowsAsync(Token(1), CancellationToken.None).AsTask();
        ExpectMsg<AccountCommands.GetSessions>();
        LastSender.Tell(Sessions(2, 1), TestActor);
        Assert.True(await check.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Watching_a_token_that_is_already_revoked_fires_at_once()
    {
        _cache.Apply(Sessions(2, 1));
        var fired = false;
        using var watch = _cache.Watch(Token(0), () => fired = true);
        Assert.True(fired);
    }

    [Fact]
    public async Task A_socket_whose_token_is_newer_than_this_node_has_heard_of_stays_open_until_that_generation_ends()
    {
        _cache.Apply(Sessions(1, 0));
        var revoked = new TaskCompletionSource();
        using var watch = _cache.Watch(Token(1), () => revoked.TrySetResult());
        _cache.Apply(Sessions(2, 1));
        Assert.False(revoked.Task.IsCompleted);
        _cache.Apply(Sessions(3, 2));
        await revoked.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
