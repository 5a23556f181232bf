using Messenger.Messages.Groups;
using Messenger.Node.Groups;
using Xunit.Abstractions;

namespace Messenger.Tests.Groups.Entity;

/// <summary>An idle group passivates (and, in the cluster, is forgotten by remember-entities); a group owing copies
/// does not, however long its fan-out takes.</summary>
public sealed class GroupPassivationSpecs(ITestOutputHelper output)
    : GroupChatSpecBase(output, GroupSettings with { PassivateAfter = TimeSpan.FromMilliseconds(300) })
{
    [Fact]
    public async Task A_group_passivates_only_once_no_copy_is_owed_and_answers_again_afterwards()
    {
        var users = await UsersAsync("ann", "bob", "cid");
        var (ann, cid) = (users[0], users[2]);
        var g = (await CreateAsync(ann, users[1], cid)).ConversationId;
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events.Ref, typeof(LocalGroupChats.CopyDropped));
        Sys.EventStream.Subscribe(events.Ref, typeof(LocalGroupChats.Passivated));
        await DropCopiesAsync(cid);

        var send = SendAsync(ann, g, "owed");
        // The group may have passivated while idle before the send woke it; from the first owed copy on it must not.
        events.FishForMessage<LocalGroupChats.CopyDropped>(_ => true, Wait);
        // Retries back off to 400 ms: ten more drops span the idle time (300 ms) several times over.
        for (var i = 0; i < 10; i++)
            Assert.Equal(cid, Assert.IsType<LocalGroupChats.CopyDropped>(events.ReceiveOne(Wait)).UserId);
        await DeliverCopiesAsync(cid);
        var passivated = events.FishForMessage<LocalGroupChats.Passivated>(p => p.EntityId == g, Wait);

        Assert.Equal(g, passivated.EntityId);
        var view = Assert.IsType<GroupReplies.GroupView>(await AskAsync(new GroupCommands.GetGroup(g, cid)));
        Assert.Equal(3, view.Members.Count);
        Assert.Contains(await CopyAsync(cid, g), m => m.Body == "owed");
        await send;
    }
}
