using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using Messenger.Web.Api;

namespace Messenger.Web.RealTime;

/// <summary>
/// A connection's <c>watch</c> frames, run inside its <see cref="DeviceStage"/> (the device actor is the subscriber):
/// <code>
///   watch ─ caller's inbox: who is visible? ─ subscribe to each one's presence topic ─ on the ack, read their presence
/// </code>
/// The watched users' inboxes publish every online/offline change on their topic (distributed pub-sub), wherever
/// they run. A new subscription reaches the other nodes by gossip (1 s rounds), so a change in the first seconds of
/// a watch could miss it: the watched users are read again at each of <see cref="Settles"/> after a watch (a bounded
/// catch-up, not polling), and whenever a cluster member is lost (a change published meanwhile may be lost).
/// Only <c>online</c> changes produce frames.
/// </summary>
public sealed class WatchSession(string me, InboxGateway gateway, IActorRef device, IActorRef mediator, Action<TimeSpan> schedule)
{
    /// <summary>When the watched users are read again after a watch: a few gossip rounds of the pub-sub registry, then many.</summary>
    public static readonly TimeSpan[] Settles = [TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10)];

    private readonly WatchList _list = new();
    private int _generation;
    private int _settle;

    /// <summary>A <c>watch</c> frame: the error frame to answer with, or null when the list was replaced.</summary>
    public ServerFrame? Replace(ClientFrame frame)
    {
        if (frame.UserIds is not { } requested) return new ErrorFrame(ErrorCodes.InvalidRequest, "watch needs userIds: an array of user ids");
        if (requested.Length > WatchList.MaxUsers)
            return new ErrorFrame(ErrorCodes.InvalidRequest, $"watch takes at most {WatchList.MaxUsers} userIds");
        // Names that can never be a user id are invisible users: skipped silently like any other.
        var ids = requested.Select(UserId.TryParse).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        foreach (var gone in _list.Replace(ids)) Unsubscribe(gone);
        _generation++;
        _ = gateway.TellAsync(new PresenceCommands.WatchPresence(me, ids, _generation), device);
        return null;
    }

    /// <summary>A message to the device that belongs to watching: the presence frame to send, if any. False when not ours.</summary>
    public bool Observe(object message, out ServerFrame? frame)
    {
        frame = null;
        switch (message)
        {
            case PresenceReplies.PresenceVisible visible:
                // An answer to a list that was replaced since is stale: the newer one is on its way.
                if (visible.Generation != _generation) return true;
                var changes = _list.Visible(visible.UserIds);
                foreach (var id in changes.Unsubscribe) Unsubscribe(id);
                foreach (var id in changes.Subscribe) mediator.Tell(new Subscribe(PresenceTopic.Of(id), device), device);
                foreach (var id in changes.Read) Read(id);
                if (changes.Subscribe.Count + changes.Read.Count > 0)
                {
                    _settle = 0;
                    schedule(Settles[0]);
                }
                return true;
            case SubscribeAck ack:
                if (UserOf(ack.Subscribe.Topic) is { } subscribed && _list.IsSubscribed(subscribed)) Read(subscribed);
                return true;
            case UnsubscribeAck:
                return true;
            case PresenceReplies.UserPresence presence:
                if (_list.Observe(presence) is { } shown) frame = new PresenceFrame(shown);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The stage's settle timer fired: read again, and schedule the next catch-up read if one is left.</summary>
    public void Settled()
    {
        Refresh();
        if (++_settle < Settles.Length) schedule(Settles[_settle] - Settles[_settle - 1]);
    }

    /// <summary>Reads every subscribed user again; only changes of <c>online</c> turn into frames.</summary>
    public void Refresh()
    {
        foreach (var id in _list.Subscribed) Read(id);
    }

    private void Read(string userId) => _ = gateway.TellAsync(new PresenceCommands.ReadPresence(userId), device);

    private void Unsubscribe(string userId) => mediator.Tell(new Unsubscribe(PresenceTopic.Of(userId), device), device);

    private static string? UserOf(string topic) =>
        topic.StartsWith(PresenceTopic.Of(""), StringComparison.Ordinal) ? topic[PresenceTopic.Of("").Length..] : null;
}
