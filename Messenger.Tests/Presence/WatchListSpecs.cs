using Messenger.Messages.Users;
using Messenger.Web.RealTime;

namespace Messenger.Tests.Presence;

/// <summary>A connection's watch list: each visible user announced once per watch, then only on online changes.</summary>
public sealed class WatchListSpecs
{
    private static PresenceReplies.UserPresence Online(string user, long version) => new(user, true, null, version);

    private static PresenceReplies.UserPresence Offline(string user, long version) =>
        new(user, false, new DateTime(version, DateTimeKind.Utc), version);

    [Fact]
    public void Visible_users_are_subscribed_announced_once_and_then_only_on_online_changes()
    {
        var list = new WatchList();
        Assert.Empty(list.Replace(["bob", "carol"]));
        var changes = list.Visible(["bob"]);
        Assert.Equal(["bob"], changes.Subscribe);
        Assert.Empty(changes.Read);

        Assert.Null(list.Observe(Offline("carol", 5)));
        Assert.Equal(Offline("bob", 5), list.Observe(Offline("bob", 5)));
        Assert.Null(list.Observe(Offline("bob", 5)));
        Assert.Equal(Online("bob", 6), list.Observe(Online("bob", 6)));
        Assert.Null(list.Observe(Online("bob", 6)));
        Assert.Equal(Offline("bob", 7), list.Observe(Offline("bob", 7)));
    }

    [Fact]
    public void An_older_read_arriving_after_a_newer_change_shows_nothing_stale()
    {
        var list = new WatchList();
        list.Replace(["bob"]);
        list.Visible(["bob"]);

        Assert.Equal(Online("bob", 9), list.Observe(Online("bob", 9)));
        Assert.Null(list.Observe(Offline("bob", 4)));
    }

    [Fact]
    public void Replacing_the_list_unsubscribes_the_dropped_users_and_announces_the_kept_ones_again()
    {
        var list = new WatchList();
        list.Replace(["bob", "carol"]);
        list.Visible(["bob", "carol"]);
        list.Observe(Online("bob", 1));
        list.Observe(Online("carol", 1));

        Assert.Equal(["carol"], list.Replace(["bob", "dave"]));
        // Until the inbox confirms visibility again nothing is shown.
        Assert.Null(list.Observe(Offline("bob", 2)));
        var changes = list.Visible(["bob"]);
        Assert.Empty(changes.Subscribe);
        Assert.Equal(["bob"], changes.Read);
        Assert.Equal(Online("bob", 3), list.Observe(Online("bob", 3)));
        Assert.False(list.IsSubscribed("carol"));
        Assert.False(list.IsSubscribed("dave"));
        Assert.Equal(["bob"], list.Subscribed);
    }

    [Fact]
    public void An_empty_list_ends_every_subscription()
    {
        var list = new WatchList();
        list.Replace(["bob", "carol"]);
        list.Visible(["bob", "carol"]);
        Assert.Equal(["bob", "carol"], list.Replace([]).Order());
        Assert.Empty(list.Subscribed);
    }
}
