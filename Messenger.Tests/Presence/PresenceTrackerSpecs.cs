using Messenger.Messages.Users;
using Messenger.Node.Inbox;

namespace Messenger.Tests.Presence;

/// <summary>The inbox's presence decisions: online while a device is attached, lastSeen when the last one leaves.</summary>
public sealed class PresenceTrackerSpecs
{
    private static readonly DateTime T0 = new(2026, 5, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Never_seen_is_offline_without_last_seen()
    {
        var tracker = new PresenceTracker("bob");
        Assert.False(tracker.Recovered(null));
        Assert.Equal(new PresenceReplies.UserPresence("bob", false, null, 0), tracker.Answer());
        Assert.Null(tracker.DevicesChanged(0, T0));
    }

    [Fact]
    public void First_device_records_online_and_last_device_leaving_records_last_seen()
    {
        var tracker = new PresenceTracker("bob");
        tracker.Recovered(null);

        Assert.Equal(new PresenceEvents.PresenceRecorded(true, T0), tracker.DevicesChanged(1, T0));
        Assert.Null(tracker.DevicesChanged(2, T0.AddSeconds(1)));
        Assert.Null(tracker.DevicesChanged(1, T0.AddSeconds(2)));
        var online = tracker.Answer();
        Assert.True(online.Online);
        Assert.Null(online.LastSeen);

        var left = T0.AddSeconds(3);
        Assert.Equal(new PresenceEvents.PresenceRecorded(false, left), tracker.DevicesChanged(0, left));
        Assert.Equal(new PresenceReplies.UserPresence("bob", false, left, left.Ticks), tracker.Answer());
        Assert.Null(tracker.DevicesChanged(0, T0.AddSeconds(4)));
    }

    [Fact]
    public void Versions_grow_even_when_the_clock_goes_back()
    {
        var tracker = new PresenceTracker("bob");
        tracker.Recovered(new PresenceEvents.PresenceRecorded(false, T0));

        var online = tracker.DevicesChanged(1, T0.AddSeconds(-5))!;
        var offline = tracker.DevicesChanged(0, T0.AddSeconds(-4))!;

        Assert.True(online.At > T0);
        Assert.True(offline.At > online.At);
        Assert.True(tracker.Answer().Version > T0.Ticks);
    }

    [Fact]
    public void Recovered_online_holds_for_the_grace_period_and_devices_coming_back_keep_it_online()
    {
        var tracker = new PresenceTracker("bob");
        var since = new PresenceEvents.PresenceRecorded(true, T0);
        Assert.True(tracker.Recovered(since));
        Assert.True(tracker.Answer().Online);

        // A device attaching again (the inbox moved) writes nothing: the user never went offline.
        Assert.Null(tracker.DevicesChanged(1, T0.AddSeconds(2)));
        Assert.False(tracker.AwaitingDevices);
        Assert.Null(tracker.GraceOver(1, T0.AddSeconds(10)));
        Assert.Equal(since, tracker.Current);
    }

    [Fact]
    public void Recovered_online_without_devices_goes_offline_when_the_grace_period_ends()
    {
        var tracker = new PresenceTracker("bob");
        tracker.Recovered(new PresenceEvents.PresenceRecorded(true, T0));
        Assert.Null(tracker.DevicesChanged(0, T0.AddSeconds(1)));
        Assert.True(tracker.Answer().Online);

        var end = T0.AddSeconds(10);
        Assert.Equal(new PresenceEvents.PresenceRecorded(false, end), tracker.GraceOver(0, end));
        Assert.False(tracker.AwaitingDevices);
        Assert.Equal(end, tracker.Answer().LastSeen);
    }

    [Fact]
    public void Recovered_offline_keeps_its_last_seen_and_needs_no_grace()
    {
        var tracker = new PresenceTracker("bob");
        Assert.False(tracker.Recovered(new PresenceEvents.PresenceRecorded(false, T0)));
        Assert.Equal(T0, tracker.Answer().LastSeen);
        Assert.Null(tracker.GraceOver(0, T0.AddSeconds(10)));
    }
}
