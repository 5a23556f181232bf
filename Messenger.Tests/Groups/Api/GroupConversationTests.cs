using System.Net;
using System.Text.Json.Nodes;
using Messenger.Messages.Chat;
using Messenger.Tests.Infrastructure;
using Messenger.Tests.Presence;
using static Messenger.Tests.Groups.Api.GroupCalls;

namespace Messenger.Tests.Groups.Api;

/// <summary>
/// API.md v2 "Messages in groups" over real HTTP and WebSockets: fan-out to every member's devices, one cut for
/// everyone across membership changes, the last-admin and last-member rules, idempotent sends, typing and receipts.
/// </summary>
public sealed class GroupConversationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Uri Url => fixture.BaseUrl;

    [Fact]
    public Task Create_and_sends_reach_every_members_devices_and_every_copy_agrees() =>
        GroupScenarios.CreateSendAndAgreeAsync(Url);

    [Fact]
    public async Task A_removed_member_keeps_their_copy_up_to_the_removal_but_gets_404_for_the_group_and_403_for_sends()
    {
        var users = await UsersAsync(Url, 3);
        var (alice, bob, carol) = (users[0], users[1], users[2]);
        var id = IdOf(await alice.CreateGroupAsync("Leavers", bob, carol));
        await alice.SendAsync(id, "before");
        Ok(await alice.RemoveMemberAsync(id, carol.UserId));
        await alice.SendAsync(id, "after");

        var bobHistory = await bob.FullHistoryAsync(id);
        Assert.Equal(new string?[] { "group_created", null, "member_removed", null }, bobHistory.Select(m => (string?)m["kind"]));
        var removal = bobHistory[2];
        Assert.Equal(alice.UserId, (string?)removal["from"]);
        Assert.Equal(carol.UserId, (string?)removal["subject"]);
        Assert.Equal("", (string?)removal["body"]);

        // Carol's copy: exactly up to her removal (included), readable by history and sync.
        var carolHistory = await carol.FullHistoryAsync(id);
        Assert.Equal(bobHistory.Take(3).Select(Shared), carolHistory.Select(Shared));
        Assert.DoesNotContain((await carol.SyncAsync()).Events, m => (string?)m!["body"] == "after");
        Assert.False((bool)(await GroupScenarios.GroupConversationAsync(carol, id))["group"]!["isMember"]!);

        Refused(await carol.GetGroupAsync(id), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        var send = await carol.SendRawAsync(Guid.NewGuid(), id, "let me back in");
        Assert.Equal(HttpStatusCode.Forbidden, send.StatusCode);
        await using var carolPhone = await ChatSocket.ConnectAsync(carol);
        var key = Guid.NewGuid();
        await carolPhone.SendMessageAsync(id, "still here?", key);
        var refused = await carolPhone.WaitForSentAsync(key);
        Assert.Equal("error", (string?)refused["type"]);
        Assert.Equal(ErrorCodes.Forbidden, (string?)refused["code"]);
        Assert.Equal(bobHistory.Count, (await bob.FullHistoryAsync(id)).Count);
    }

    [Fact]
    public async Task Strangers_and_ids_of_no_group_get_403_for_sends_and_404_for_history_of_a_group_they_never_held()
    {
        var users = await UsersAsync(Url, 3);
        var (alice, bob, stranger) = (users[0], users[1], users[2]);
        var id = IdOf(await alice.CreateGroupAsync("Closed doors", bob));
        foreach (var to in new[] { id, ConversationId.NewGroup(), "grp:not valid!" })
        {
            var send = await stranger.SendRawAsync(Guid.NewGuid(), to, "hello?");
            Assert.Equal(HttpStatusCode.Forbidden, send.StatusCode);
        }
        var (status, _) = await stranger.GetAsync($"/api/conversations/{id}/messages");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Empty((await stranger.SyncAsync()).Events);
        Assert.Single(await bob.FullHistoryAsync(id));
    }

    [Fact]
    public async Task A_new_member_gets_no_older_history_and_every_later_message()
    {
        var users = await UsersAsync(Url, 3);
        var (alice, bob, dave) = (users[0], users[1], users[2]);
        var id = IdOf(await alice.CreateGroupAsync("Latecomers", bob));
        await alice.SendAsync(id, "old news");
        await using var davePhone = await ChatSocket.ConnectAsync(dave);
        Ok(await alice.AddMemberAsync(id, dave.UserId));
        var added = (await davePhone.WaitKindAsync(id, "member_added"))["message"]!;
        Assert.Equal(dave.UserId, (string?)added["subject"]);
        Assert.Equal(alice.UserId, (string?)added["from"]);
        await bob.SendAsync(id, "welcome");
        await davePhone.WaitBodyAsync(id, "welcome");

        var daveHistory = await dave.FullHistoryAsync(id);
        var bobHistory = await bob.FullHistoryAsync(id);
        Assert.Equal(new string?[] { "member_added", null }, daveHistory.Select(m => (string?)m["kind"]));
        Assert.Equal(bobHistory.Skip(2).Select(Shared), daveHistory.Select(Shared));
        Assert.DoesNotContain((await dave.SyncAsync()).Events, m => (string?)m!["body"] == "old news");
        Assert.Equal(3, (int)(await GroupScenarios.GroupConversationAsync(dave, id))["group"]!["memberCount"]!);
        Assert.Equal(1, (int)(await GroupScenarios.GroupConversationAsync(dave, id))["unreadCount"]!);
    }

    [Fact]
    public async Task When_the_last_admin_leaves_the_earliest_member_becomes_admin_as_an_admin_added_event()
    {
        var users = await UsersAsync(Url, 3);
        var (alice, bob, carol) = (users[0], users[1], users[2]);
        var id = IdOf(await alice.CreateGroupAsync("Succession", bob));
        Ok(await alice.AddMemberAsync(id, carol.UserId));

        Assert.Equal(HttpStatusCode.OK, (await alice.RemoveMemberAsync(id, alice.UserId)).Status);

        var history = await carol.FullHistoryAsync(id);
        Assert.Equal(new string?[] { "member_added", "member_left", "admin_added" }, history.Select(m => (string?)m["kind"]));
        Assert.Equal(alice.UserId, (string?)history[1]["from"]);
        Assert.Equal(alice.UserId, (string?)history[1]["subject"]);
        Assert.Equal(alice.UserId, (string?)history[2]["from"]);
        Assert.Equal(bob.UserId, (string?)history[2]["subject"]);
        Assert.True(string.CompareOrdinal((string)history[1]["order"]!, (string)history[2]["order"]!) < 0);
        Assert.Equal(history.Select(Shared), (await bob.FullHistoryAsync(id)).Skip(1).Select(Shared));

        var group = Ok(await bob.GetGroupAsync(id));
        Assert.Equal(new Dictionary<string, string> { [bob.UserId] = "admin", [carol.UserId] = "member" }, Roles(group));
        Assert.Equal("Bob's now", (string?)Ok(await bob.RenameGroupAsync(id, new { name = "Bob's now" }))["name"]);
        // The one who left keeps the copy up to leaving: admin_added came after and is not in it.
        Assert.Equal("member_left", (string?)(await alice.FullHistoryAsync(id)).Last()["kind"]);
    }

    [Fact]
    public async Task When_the_last_member_leaves_the_group_is_closed_for_everyone()
    {
        var users = await UsersAsync(Url, 2);
        var (alice, bob) = (users[0], users[1]);
        var id = IdOf(await alice.CreateGroupAsync("Short lived", bob));
        await bob.SendAsync(id, "bye all");
        Ok(await alice.RemoveMemberAsync(id, alice.UserId));
        Assert.Equal(HttpStatusCode.OK, (await bob.RemoveMemberAsync(id, bob.UserId)).Status);

        foreach (var user in users)
        {
            Refused(await user.GetGroupAsync(id), HttpStatusCode.NotFound, ErrorCodes.NotFound);
            Refused(await user.AddMemberAsync(id, users.First(u => u != user).UserId), HttpStatusCode.NotFound, ErrorCodes.NotFound);
            Refused(await user.RemoveMemberAsync(id, user.UserId), HttpStatusCode.NotFound, ErrorCodes.NotFound);
            Assert.Equal(HttpStatusCode.Forbidden, (await user.SendRawAsync(Guid.NewGuid(), id, "anyone?")).StatusCode);
            Assert.Contains(await user.FullHistoryAsync(id), m => (string?)m["body"] == "bye all");
        }
    }

    [Fact]
    public async Task The_same_clientMessageId_twice_over_HTTP_and_WebSocket_is_one_message_in_every_copy()
    {
        var users = await UsersAsync(Url, 3);
        var (alice, bob, carol) = (users[0], users[1], users[2]);
        var id = IdOf(await alice.CreateGroupAsync("Once only", bob, carol));
        var key = Guid.NewGuid();
        var first = await alice.SendAsync(id, "just once", key);
        var again = await alice.SendAsync(id, "just once", key);
        Assert.Equal(first.ToJsonString(), again.ToJsonString());
        await using var alicePhone = await ChatSocket.ConnectAsync(alice);
        await alicePhone.SendMessageAsync(id, "just once", key);
        Assert.Equal((string?)first["messageId"], (string?)(await alicePhone.WaitForSentAsync(key))["messageId"]);

        var changed = await alice.SendRawAsync(key, id, "something else");
        Assert.Equal(HttpStatusCode.BadRequest, changed.StatusCode);
        foreach (var user in users)
            Assert.Single(await user.FullHistoryAsync(id), m => (string?)m["clientMessageId"] == key.ToString());
    }

    [Fact]
    public async Task An_attachment_sent_to_a_group_is_in_every_members_copy_and_downloadable_by_members_only()
    {
        var users = await UsersAsync(Url, 4);
        var (alice, bob, carol, stranger) = (users[0], users[1], users[2], users[3]);
        var id = IdOf(await alice.CreateGroupAsync("Files", bob, carol));
        var bytes = "a shared note"u8.ToArray();
        var upload = new ByteArrayContent(bytes);
        upload.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        var (uploaded, file) = await alice.CallAsync(HttpMethod.Post, "/api/attachments?name=note.txt", upload);
        Assert.Equal(HttpStatusCode.Created, uploaded);
        var attachmentId = (string)file!["attachmentId"]!;

        var (sent, _) = await alice.CallAsync(HttpMethod.Post, "/api/messages",
            new { clientMessageId = Guid.NewGuid(), to = id, body = "", attachments = new[] { attachmentId } });
        Assert.Equal(HttpStatusCode.OK, sent);
        foreach (var member in new[] { alice, bob, carol })
        {
            var carried = (await member.FullHistoryAsync(id)).Last()["attachments"]!.AsArray();
            Assert.Equal(attachmentId, (string?)carried.Single()!["attachmentId"]);
            using var http = new HttpClient();
            http.DefaultRequestHeaders.Authorization = new("Bearer", member.Token);
            Assert.Equal(bytes, await http.GetByteArrayAsync(new Uri(Url, $"/api/attachments/{attachmentId}")));
        }
        Refused(await stranger.CallAsync(HttpMethod.Get, $"/api/attachments/{attachmentId}"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task Typing_reaches_every_device_of_the_other_members_and_non_members_get_not_found()
    {
        var users = await UsersAsync(Url, 4);
        var (alice, bob, carol, stranger) = (users[0], users[1], users[2], users[3]);
        var id = IdOf(await alice.CreateGroupAsync("Typists", bob, carol));
        await using var alicePhone = await ChatSocket.ConnectAsync(alice);
        await using var bobPhone = await ChatSocket.ConnectAsync(bob);
        await using var bobLaptop = await ChatSocket.ConnectAsync(bob);
        await using var carolPhone = await ChatSocket.ConnectAsync(carol);
        await using var strangerPhone = await ChatSocket.ConnectAsync(stranger);

        await alicePhone.SendJsonAsync(new { type = "typing", conversationId = id });
        foreach (var device in new[] { bobPhone, bobLaptop, carolPhone }) await device.WaitTypingAsync(id, alice.UserId);
        await alicePhone.PingAsync();
        Assert.False(alicePhone.HasFrame("typing") || alicePhone.HasFrame("error"));

        await strangerPhone.SendJsonAsync(new { type = "typing", conversationId = id });
        Assert.Equal(ErrorCodes.NotFound, (string?)(await strangerPhone.WaitErrorAsync())["code"]);

        // Removed: no longer relayed, refused like a stranger.
        Ok(await alice.RemoveMemberAsync(id, carol.UserId));
        await carolPhone.SendJsonAsync(new { type = "typing", conversationId = id });
        Assert.Equal(ErrorCodes.NotFound, (string?)(await carolPhone.WaitErrorAsync())["code"]);
        await bobPhone.PingAsync();
        Assert.False(bobPhone.HasFrame("typing", carol.UserId));
    }

    [Fact]
    public async Task Receipts_list_every_other_member_and_a_read_reaches_the_other_members()
    {
        var users = await UsersAsync(Url, 3);
        var (alice, bob, carol) = (users[0], users[1], users[2]);
        var id = IdOf(await alice.CreateGroupAsync("Readers", bob, carol));
        await using var alicePhone = await ChatSocket.ConnectAsync(alice);
        var order = (string)(await alice.SendAsync(id, "read me"))["order"]!;

        Assert.Equal(1, (int)(await GroupScenarios.GroupConversationAsync(bob, id))["unreadCount"]!);
        var (status, _) = await bob.PostJsonAsync($"/api/conversations/{id}/read", new { upTo = order });
        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Equal(0, (int)(await GroupScenarios.GroupConversationAsync(bob, id))["unreadCount"]!);

        var receipt = await alicePhone.WaitForAsync(f => (string?)f["type"] == "receipt" && (string?)f["userId"] == bob.UserId
                                                         && (string?)f["read"] == order);
        Assert.Equal(id, (string?)receipt["conversationId"]);
        await EventuallyAsync(async () =>
        {
            foreach (var reader in new[] { alice, carol })
            {
                var receipts = (await GroupScenarios.GroupConversationAsync(reader, id))["receipts"]!.AsArray();
                Assert.Equal(users.Where(u => u != reader).Select(u => u.UserId).Order(), receipts.Select(r => (string)r!["userId"]!).Order());
                Assert.Equal(order, (string?)receipts.Single(r => (string?)r!["userId"] == bob.UserId)!["read"]);
            }
        });

        // A membership event after it is not unread and does not move anyone's marker.
        Ok(await alice.RenameGroupAsync(id, new { name = "Readers II" }));
        var bobConversation = await GroupScenarios.GroupConversationAsync(bob, id);
        Assert.Equal(0, (int)bobConversation["unreadCount"]!);
        Assert.Equal("Readers II", (string?)bobConversation["group"]!["name"]);
        Assert.Equal(1, (int)(await GroupScenarios.GroupConversationAsync(carol, id))["unreadCount"]!);
    }
}
