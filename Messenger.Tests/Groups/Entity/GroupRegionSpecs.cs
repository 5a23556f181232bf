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
            await AwaitAsync(() => IsRunningAsync(system, groupId));
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

    /// <summary>Whether the group's entity is alive on this node (its actor name is the URL-encoded group id).</summary>
    private static async Task<bool> IsRunningAsync(ActorSystem system, string groupId)
    {
        try
        {
            await system.ActorSelection($"/system/sharding/group/*/{Uri.EscapeDataString(groupId)}").ResolveOne(TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ActorNotFoundException)
        {
            return false;
        }
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
}
