using Akka.Actor;
using Akka.Hosting;
using Messenger.Messages.Chat;
using Messenger.Messages.Groups;
using Messenger.Messages.Users;
using Messenger.Node.Hosting;
using Messenger.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Messenger.Tests.Groups.Entity;

/// <summary>
/// The group region as the node hosts it (in-process web node + shard host on SQLite): groups and inboxes find each
/// other through the two regions, and groups are remembered in the journal, so after a full restart a group is running
/// again before anyone sends it anything (that is how a group owing copies resumes its fan-out after its node died).
/// </summary>
public sealed class GroupRegionSpecs
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_group_works_through_the_regions_and_is_started_again_after_a_restart_without_being_asked()
    {
        var dataDir = TempDirs.Create("group-region");
        try
        {
            string groupId;
            var server = await MessengerServer.StartAsync(dataDir);
            try
            {
                var (groups, inboxes) = Regions(server);
                var ann = $"ann{Guid.NewGuid():N}"[..12];
                var bob = $"bob{Guid.NewGuid():N}"[..12];
                foreach (var user in new[] { ann, bob })
                    await inboxes.Ask<UserReplies.InboxReady>(new UserCommands.OpenInbox(user), Wait);

                var view = await groups.Ask<GroupReplies.GroupView>(
                    new GroupCommands.CreateGroup(ConversationId.NewGroup(), ann, "Team", [bob]), Wait);
                groupId = view.ConversationId;
                var sent = await inboxes.Ask<UserReplies.MessageSent>(
                    new UserCommands.SendMessage(bob, Guid.NewGuid(), groupId, "hello"), Wait);
                Assert.Equal(groupId, sent.Message.ConversationId);
                Assert.Equal(view, await groups.Ask<GroupReplies.GroupView>(new GroupCommands.GetGroup(groupId, bob), Wait));
            }
            finally
            {
                await server.StopAsync();
            }

            await using var restarted = await MessengerServer.StartAsync(dataDir);
            var system = restarted.Services.GetRequiredService<ActorSystem>();
            await AwaitAsync(async () => (await RunningGroups(system)).Contains(groupId));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TempDirs.TryDelete(dataDir);
        }
    }

    private static (IActorRef Groups, IActorRef Inboxes) Regions(MessengerServer server)
    {
        var registry = server.Services.GetRequiredService<ActorRegistry>();
        return (registry.Get<GroupChats>(), registry.Get<UserInboxes>());
    }

    /// <summary>The group entities alive on this node (their names are the URL-encoded group ids).</summary>
    private static async Task<HashSet<string>> RunningGroups(ActorSystem system)
    {
        var probe = system.ActorOf(Props.Create(() => new IdentityCollector()));
        system.ActorSelection("/system/sharding/group/*/*").Tell(new Identify(null), probe);
        var names = await probe.Ask<HashSet<string>>(IdentityCollector.Collect.Instance, Wait);
        system.Stop(probe);
        return names;
    }

    private static async Task AwaitAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the remembered group did not start again");
            await Task.Delay(200);
        }
    }

    /// <summary>Collects the names of the actors that answered an Identify (answers arrive before the Collect it is sent
    /// after, when they come at all; the caller asks again until the group shows).</summary>
    private sealed class IdentityCollector : ReceiveActor
    {
        public sealed record Collect
        {
            public static readonly Collect Instance = new();
        }

        private readonly HashSet<string> _names = new();

        public IdentityCollector()
        {
            Receive<ActorIdentity>(id =>
            {
                if (id.Subject is { } subject) _names.Add(Uri.UnescapeDataString(subject.Path.Name));
            });
            Receive<Collect>(_ => Context.System.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(300), Self, new Reply(Sender), Self));
            Receive<Reply>(r => r.To.Tell(new HashSet<string>(_names)));
        }

        private sealed record Reply(IActorRef To);
    }
}
