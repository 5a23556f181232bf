using System.Text.Json.Nodes;
using Messenger.Tests.Infrastructure;
using static Messenger.Tests.Groups.Api.GroupCalls;

namespace Messenger.Tests.Groups.Api;

/// <summary>The main group flow end to end, shared by the SQLite and the PostgreSQL runs.</summary>
internal static class GroupScenarios
{
    /// <summary>
    /// Three users with a device each: alice creates a group, every device gets <c>group_created</c>; alice sends over
    /// HTTP and bob over the WebSocket, every device gets both; every member's history holds the same three messages;
    /// each member's Conversation is a group one with its own unread count.
    /// </summary>
    public static async Task CreateSendAndAgreeAsync(Uri url)
    {
        var users = await UsersAsync(url, 3);
        var (alice, bob, carol) = (users[0], users[1], users[2]);
        await using var alicePhone = await ChatSocket.ConnectAsync(alice);
        await using var bobPhone = await ChatSocket.ConnectAsync(bob);
        await using var carolPhone = await ChatSocket.ConnectAsync(carol);
        var devices = new[] { alicePhone, bobPhone, carolPhone };

        var id = IdOf(await alice.CreateGroupAsync("Trio", bob, carol));
        foreach (var device in devices)
        {
            var created = (await device.WaitKindAsync(id, "group_created"))["message"]!;
            Assert.Equal(alice.UserId, (string?)created["from"]);
            Assert.Equal(id, (string?)created["to"]);
            Assert.Equal("Trio", (string?)created["body"]);
            Assert.Null(created["subject"]);
        }

        var sent = await alice.SendAsync(id, "hello group");
        Assert.Equal(id, (string?)sent["conversationId"]);
        var key = Guid.NewGuid();
        await bobPhone.SendMessageAsync(id, "hi from bob", key);
        var bobSent = await bobPhone.WaitForSentAsync(key);
        Assert.True((string?)bobSent["type"] == "sent", bobSent.ToJsonString());
        foreach (var device in devices)
        {
            var hello = (await device.WaitBodyAsync(id, "hello group"))["message"]!;
            Assert.Equal((string?)sent["messageId"], (string?)hello["messageId"]);
            Assert.Equal(id, (string?)hello["to"]);
            Assert.Null(hello["kind"]);
            Assert.Equal((string?)bobSent["messageId"], (string?)(await device.WaitBodyAsync(id, "hi from bob"))["message"]!["messageId"]);
        }

        var histories = new List<List<JsonObject>>();
        foreach (var user in users) histories.Add(await user.FullHistoryAsync(id));
        Assert.Equal(new string?[] { "group_created", null, null }, histories[0].Select(m => (string?)m["kind"]));
        foreach (var history in histories.Skip(1))
            Assert.Equal(histories[0].Select(Shared), history.Select(Shared));
        // Each copy has its own seq: the one in its own inbox.
        foreach (var user in users)
            Assert.Equal(histories[0].Select(m => (string)m["messageId"]!), (await user.SyncAsync()).Events.Select(m => (string)m!["messageId"]!));

        // Kind messages do not count: carol has two unread texts, alice bob's one, bob none (he sent last).
        foreach (var (user, unread) in new[] { (carol, 2), (alice, 1), (bob, 0) })
        {
            var conversation = await GroupConversationAsync(user, id);
            Assert.Equal(unread, (int)conversation["unreadCount"]!);
            Assert.True(conversation.ContainsKey("peer") && conversation["peer"] is null, conversation.ToJsonString());
            Assert.Equal("Trio", (string?)conversation["group"]!["name"]);
            Assert.Equal(3, (int)conversation["group"]!["memberCount"]!);
            Assert.True((bool)conversation["group"]!["isMember"]!);
            Assert.Equal("hi from bob", (string?)conversation["lastMessage"]!["body"]);
            Assert.Equal(users.Where(u => u != user).Select(u => u.UserId).Order(),
                conversation["receipts"]!.AsArray().Select(r => (string)r!["userId"]!).Order());
        }
    }

    /// <summary>The caller's Conversation of the group (asserted present).</summary>
    public static async Task<JsonObject> GroupConversationAsync(ChatClient user, string groupId)
    {
        var conversations = await user.ConversationsAsync(limit: 100);
        var found = conversations.SingleOrDefault(c => (string?)c!["conversationId"] == groupId);
        Assert.True(found is not null, $"{user.UserId} has no conversation {groupId}: {conversations.ToJsonString()}");
        return found!.AsObject();
    }
}
