using Messenger.Web.RealTime;

namespace Messenger.Tests.Presence;

/// <summary>Typing frames beyond a small per-connection rate are dropped; a well-behaved client never meets it.</summary>
public sealed class TypingThrottleSpecs
{
    [Fact]
    public void A_burst_passes_then_one_per_second()
    {
        var throttle = new TypingThrottle();
        for (var i = 0; i < TypingThrottle.Burst; i++) Assert.True(throttle.TryTake(1_000));
        Assert.False(throttle.TryTake(1_000));
        Assert.False(throttle.TryTake(1_500));
        Assert.True(throttle.TryTake(2_000));
        Assert.False(throttle.TryTake(2_100));
    }

    [Fact]
    public void A_client_typing_in_several_conversations_every_three_seconds_is_never_dropped()
    {
        var throttle = new TypingThrottle();
        for (var now = 0L; now < 60_000; now += 3_000)
        for (var conversation = 0; conversation < 3; conversation++)
            Assert.True(throttle.TryTake(now));
    }
}
