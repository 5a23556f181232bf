using Akka.Actor;
using Akka.Cluster;

namespace Messenger.Web.RealTime;

/// <summary>
/// The devices connected to this node, and one subscription per node to cluster membership: when a member is lost
/// (unreachable or removed) the inboxes it hosted move, so every device here is told to attach again — staggered over
/// a second, so a node's worth of devices does not hit the new shard hosts at once. It is also the slow safety net:
/// each device is nudged to re-check its attachment once per <see cref="CheckEvery"/>, spread evenly.
/// </summary>
public sealed class LiveDevices
{
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Spread = TimeSpan.FromSeconds(1);

    private readonly IActorRef _registry;

    public LiveDevices(ActorSystem system) =>
        _registry = system.ActorOf(Props.Create(() => new Registry()), "live-devices");

    /// <summary>To a device: an inbox host may be gone; attach again (with backoff) until an inbox answers.</summary>
    public sealed class MemberLost
    {
        public static readonly MemberLost Instance = new();
    }

    /// <summary>To a device: attach again once; the answer shows whether the connection missed anything.</summary>
    public sealed class Check
    {
        public static readonly Check Instance = new();
    }

    public void Add(IActorRef device) => _registry.Tell(new Added(device));

    public void Remove(IActorRef device) => _registry.Tell(new Removed(device));

    private sealed record Added(IActorRef Device);
    private sealed record Removed(IActorRef Device);
    private sealed record Nudge(IActorRef[] Devices, object Message);
    private sealed class Tick;

    private sealed class Registry : ReceiveActor, IWithTimers
    {
        private const int Slots = 20;
        private readonly HashSet<IActorRef> _devices = new();
        private IActorRef[] _round = [];
        private int _cursor;

        public ITimerScheduler Timers { get; set; } = null!;

        public Registry()
        {
            Receive<Added>(a => _devices.Add(a.Device));
            Receive<Removed>(r => _devices.Remove(r.Device));
            Receive<ClusterEvent.UnreachableMember>(_ => Stagger(MemberLost.Instance));
            Receive<ClusterEvent.MemberRemoved>(_ => Stagger(MemberLost.Instance));
            Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
            Receive<ClusterEvent.CurrentClusterState>(_ => { });
            Receive<Nudge>(n =>
            {
                foreach (var device in n.Devices)
                    if (_devices.Contains(device)) device.Tell(n.Message);
            });
            Receive<Tick>(_ => CheckSome());
        }

        protected override void PreStart()
        {
            Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
                typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.MemberRemoved));
            Timers.StartPeriodicTimer("check", new Tick(), Spread);
        }

        protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

        private void Stagger(object message)
        {
            var all = _devices.ToArray();
            var perSlot = (all.Length + Slots - 1) / Slots;
            for (var slot = 0; slot * perSlot < all.Length; slot++)
            {
                var devices = all.AsSpan(slot * perSlot, Math.Min(perSlot, all.Length - slot * perSlot)).ToArray();
                Timers.StartSingleTimer(("stagger", slot), new Nudge(devices, message), Spread * slot / Slots);
            }
        }

        /// <summary>Each tick checks the share of devices that makes one full round per <see cref="CheckEvery"/>.</summary>
        private void CheckSome()
        {
            if (_cursor >= _round.Length)
            {
                _round = _devices.ToArray();
                _cursor = 0;
            }
            var share = (int)Math.Ceiling(_round.Length * Spread.TotalSeconds / CheckEvery.TotalSeconds);
            var end = Math.Min(_round.Length, _cursor + share);
            for (; _cursor < end; _cursor++)
                if (_devices.Contains(_round[_cursor])) _round[_cursor].Tell(Check.Instance);
        }
    }
}
