using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Messenger.Messages.Accounts;

namespace Messenger.Web.Auth;

/// <summary>
/// Feeds this node's <see cref="SessionCache"/>: session changes published by the account entities, and cluster
/// reachability and membership changes (after which a published change may have been lost, so the cache starts over,
/// and again 3 s and 10 s after a member came up, once the pub-sub registry has spread).
/// </summary>
public sealed class SessionListener : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);

    public SessionListener(SessionCache cache)
    {
        Receive<AccountReplies.Sessions>(cache.Apply);
        Receive<ClusterEvent.IReachabilityEvent>(_ => cache.ForgetAll());
        Receive<ClusterEvent.MemberUp>(_ =>
        {
            cache.ForgetAll();
            // A change published before this node's subscription reached the publisher's node (pub-sub gossips its
            // registry about once a second) is lost: look again once the registry has had time to spread.
            Timers.StartSingleTimer("settled-soon", Settled.Instance, TimeSpan.FromSeconds(3));
            Timers.StartSingleTimer("settled", Settled.Instance, TimeSpan.FromSeconds(10));
        });
        Receive<Settled>(_ => cache.ForgetAll());
        Receive<SubscribeAck>(_ => { });
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
        Receive<Sweep>(_ => cache.Sweep());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(SessionCache cache) => Akka.Actor.Props.Create(() => new SessionListener(cache));

    protected override void PreStart()
    {
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(SessionsTopic.Name, Self));
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.MemberUp));
        Timers.StartPeriodicTimer("sweep", Sweep.Instance, SweepEvery);
    }

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

    private sealed class Sweep
    {
        public static readonly Sweep Instance = new();
    }

    private sealed class Settled
    {
        public static readonly Settled Instance = new();
    }
}

/// <summary>Starts the <see cref="SessionListener"/> with the web host (the actor system is up by then).</summary>
public sealed class SessionListenerStart(ActorSystem system, SessionCache cache) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        system.ActorOf(SessionListener.Props(cache), "session-listener");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
