using Messenger.Node.Accounts;

namespace Messenger.Tests.Auth;

/// <summary>The per-account guessing limit as pure decisions over a given clock.</summary>
public sealed class SignInThrottleSpecs
{
    private static readonly DateTime T0 = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    private static SignInThrottle Throttle(int free = 3, double backoff = 1, double max = 60, int perMinute = 10) =>
        new(new SignInLimits { FreeFailures = free, BackoffSeconds = backoff, MaxBackoffSeconds = max, FailuresPerMinute = perMinute });

    [Fact]
    public void The_first_free_failures_are_admitted_at_once_then_the_wait_doubles_per_failure()
    {
        var throttle = Throttle();
        for (var i = 0; i < 3; i++) Assert.Null(throttle.Admit(T0));
        Assert.Equal(TimeSpan.FromSeconds(1), throttle.Admit(T0));

        var now = T0.AddSeconds(1);
        Assert.Null(throttle.Admit(now));
        Assert.Equal(TimeSpan.FromSeconds(2), throttle.Admit(now));
        now = now.AddSeconds(2);
        Assert.Null(throttle.Admit(now));
        Assert.Equal(TimeSpan.FromSeconds(4), throttle.Admit(now));
    }

    [Fact]
    public void A_refused_attempt_does_not_make_the_wait_longer()
    {
        var throttle = Throttle();
        for (var i = 0; i < 3; i++) Assert.Null(throttle.Admit(T0));
        for (var i = 0; i < 50; i++) Assert.NotNull(throttle.Admit(T0.AddMilliseconds(10 * i)));
        Assert.Null(throttle.Admit(T0.AddSeconds(1)));
    }

    [Fact]
    public void Never_more_than_ten_attempts_are_admitted_in_any_minute_even_without_backoff()
    {
        var throttle = Throttle(free: 1000);
        var admitted = 0;
        for (var ms = 0; ms < 60_000; ms += 100)
            if (throttle.Admit(T0.AddMilliseconds(ms)) is null) admitted++;
        Assert.Equal(10, admitted);
        Assert.Equal(TimeSpan.FromMilliseconds(100), throttle.Admit(T0.AddMilliseconds(59_900)));
        Assert.Null(throttle.Admit(T0.AddMinutes(1)));
    }

    [Fact]
    public void The_wait_is_capped_so_no_one_is_locked_out_for_good()
    {
        var throttle = Throttle(max: 60);
        var now = T0;
        for (var i = 0; i < 40; i++)
        {
            var wait = throttle.Admit(now);
            if (wait is { } w)
            {
                Assert.True(w <= TimeSpan.FromSeconds(60), $"wait {w}");
                now += w;
                Assert.Null(throttle.Admit(now));
            }
        }
    }

    [Fact]
    public void A_success_forgets_every_failure()
    {
        var throttle = Throttle();
        for (var i = 0; i < 3; i++) Assert.Null(throttle.Admit(T0));
        Assert.NotNull(throttle.Admit(T0));
        Assert.Null(throttle.Admit(T0.AddSeconds(1)));
        throttle.Succeeded();
        Assert.True(throttle.IsIdle(T0.AddSeconds(1)));
        for (var i = 0; i < 3; i++) Assert.Null(throttle.Admit(T0.AddSeconds(1)));
    }

    [Fact]
    public void A_quiet_spell_forgets_and_only_then_is_the_throttle_idle()
    {
        var throttle = Throttle();
        for (var i = 0; i < 5; i++) throttle.Admit(T0.AddSeconds(10 * i));
        Assert.False(throttle.IsIdle(T0.AddSeconds(60)));
        var later = T0.AddMinutes(10);
        Assert.True(throttle.IsIdle(later));
        for (var i = 0; i < 3; i++) Assert.Null(throttle.Admit(later));
    }

    [Fact]
    public void An_attempt_that_was_never_checked_does_not_count()
    {
        var throttle = Throttle();
        for (var i = 0; i < 3; i++) Assert.Null(throttle.Admit(T0));
        throttle.Unchecked();
        Assert.Null(throttle.Admit(T0));
        Assert.NotNull(throttle.Admit(T0));
    }
}
