using Messenger.Messages.Users;

namespace Messenger.Node.Inbox;

/// <summary>
/// The presence decisions of one inbox, without Akka and without reading the clock: online while at least one
/// device is attached, offline (with <c>lastSeen</c>) when the last one leaves. Each change is an event to persist
/// and to publish. <see cref="Current"/> runs ahead of the journal (the write is in flight), so answers never lag.
/// <para>
/// An incarnation that recovers "online" starts with no devices: it was moved, restarted or its node crashed. Its
/// devices attach again within seconds when they are still connected, so it holds "online" for <see cref="Grace"/>
/// and only then, still without devices, records "offline" (lastSeen = that moment).
/// </para>
/// </summary>
public sealed class PresenceTracker(string userId)
{
    /// <summary>How long a recovered "online" waits for its devices to attach again (they retry within ~5 s).</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    public string UserId { get; } = userId;

    /// <summary>The newest change decided (null: never seen).</summary>
    public PresenceEvents.PresenceRecorded? Current { get; private set; }

    /// <summary>Recovered "online" with no device attached yet: the grace period runs.</summary>
    public bool AwaitingDevices { get; private set; }

    public bool Online => Current?.Online == true;

    /// <summary>Start from what the journal holds; true when the grace period must be started.</summary>
    public bool Recovered(PresenceEvents.PresenceRecorded? persisted)
    {
        Current = persisted;
        AwaitingDevices = persisted?.Online == true;
        return AwaitingDevices;
    }

    /// <summary>The attached devices changed (or were re-checked): the change to persist and publish, or null.</summary>
    public PresenceEvents.PresenceRecorded? DevicesChanged(int devices, DateTime now)
    {
        if (devices > 0)
        {
            AwaitingDevices = false;
            return Online ? null : Record(true, now);
        }
        if (AwaitingDevices || !Online) return null;
        return Record(false, now);
    }

    /// <summary>The grace period after recovery ended: without devices by now, the user is offline.</summary>
    public PresenceEvents.PresenceRecorded? GraceOver(int devices, DateTime now)
    {
        if (!AwaitingDevices) return null;
        AwaitingDevices = false;
        return DevicesChanged(devices, now);
    }

    /// <summary>The presence as the contract shows it: lastSeen only while offline.</summary>
    public PresenceReplies.UserPresence Answer() => Current is not { } c
        ? new PresenceReplies.UserPresence(UserId, false, null, 0)
        : new PresenceReplies.UserPresence(UserId, c.Online, c.Online ? null : c.At, c.At.Ticks);

    /// <summary>Changes are stamped strictly after the previous one, so versions grow even if clocks of two nodes disagree.</summary>
    private PresenceEvents.PresenceRecorded Record(bool online, DateTime now)
    {
        var at = Current is { } previous && now <= previous.At ? previous.At.AddTicks(1) : now;
        Current = new PresenceEvents.PresenceRecorded(online, at);
        return Current;
    }
}
