using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Messenger.Tests.Browser;

/// <summary>Group conversations in the browser client (API v2): three users in three real Chromium contexts against the
/// real server.</summary>
[Collection("browser")]
public sealed class GroupBrowserTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_new_group_reaches_its_members_live_and_every_message_shows_who_sent_it()
    {
        var aliceName = BrowserFixture.NewUsername("alice");
        var bobName = BrowserFixture.NewUsername("bob");
        var carolName = BrowserFixture.NewUsername("carol");
        await using var alice = await BrowserUser.OpenAsync(fixture, aliceName, output);
        await using var bob = await BrowserUser.OpenAsync(fixture, bobName, output);
        await using var carol = await BrowserUser.OpenAsync(fixture, carolName, output);
        await alice.SignUpAsync();
        await bob.SignUpAsync();
        await carol.SignUpAsync();

        var id = await alice.CreateGroupAsync("Weekend trip", bobName, carolName);
        await Expect(alice.SystemLine("You created the group “Weekend trip”")).ToHaveCountAsync(1);
        await Expect(alice.Page.GetByTestId("chat-presence")).ToHaveTextAsync($"{bobName}, {carolName}, You");

        // The others get the group live: its name, its size, the creation as the last line, nothing unread.
        foreach (var member in new[] { bob, carol })
        {
            await Expect(member.Group(id).GetByTestId("conversation-peer")).ToHaveTextAsync("Weekend trip");
            await Expect(member.Group(id).GetByTestId("conversation-member-count")).ToHaveTextAsync("3 members");
            await Expect(member.Group(id).GetByTestId("conversation-last-message"))
                .ToHaveTextAsync($"{aliceName} created the group “Weekend trip”");
            await Expect(member.Group(id).GetByTestId("unread-badge")).ToBeHiddenAsync();
        }

        // A message counts as unread for the others, shows who wrote it, and is delivered once both devices hold it.
        var first = await alice.SendAsync("Who brings the tent?");
        await Expect(carol.Group(id).GetByTestId("unread-badge")).ToHaveTextAsync("1");
        await Expect(carol.Group(id).GetByTestId("conversation-last-message")).ToHaveTextAsync($"{aliceName}: Who brings the tent?");
        await Expect(first).ToHaveAttributeAsync("data-receipt", "delivered");
        await bob.OpenGroupAsync(id, "Weekend trip");
        var atBob = bob.MessagesWithBody("Who brings the tent?");
        await Expect(atBob.GetByTestId("message-sender")).ToBeVisibleAsync();
        await Expect(atBob.GetByTestId("message-sender")).ToHaveTextAsync(aliceName);

        // Bob types: the others see who is typing, in the header and in the list; his message ends it.
        await bob.MessageInput.PressSequentiallyAsync("I do");
        await Expect(alice.Page.GetByTestId("chat-presence")).ToHaveTextAsync($"{bobName} is typing…");
        await Expect(carol.Group(id).GetByTestId("conversation-typing")).ToHaveTextAsync($"{bobName} is typing…");
        await bob.MessageInput.PressAsync("Enter");
        await Expect(bob.MessagesWithBody("I do")).ToHaveAttributeAsync("data-status", "sent");
        await Expect(alice.MessagesWithBody("I do").GetByTestId("message-sender")).ToHaveTextAsync(bobName);
        await Expect(alice.Page.GetByTestId("chat-presence")).ToHaveTextAsync($"{bobName}, {carolName}, You");
        await Expect(carol.Group(id).GetByTestId("unread-badge")).ToHaveTextAsync("2");

        // Carol reads: her badge goes, and Alice's message is read by every other member.
        await carol.OpenGroupAsync(id, "Weekend trip");
        await Expect(carol.Group(id).GetByTestId("unread-badge")).ToBeHiddenAsync();
        await Expect(carol.MessageBodies).ToHaveTextAsync(new[] { "Who brings the tent?", "I do" });
        await Expect(first).ToHaveAttributeAsync("data-receipt", "read");

        await carol.SendAsync("Then I bring the food");
        var expected = new[] { "Who brings the tent?", "I do", "Then I bring the food" };
        await Expect(alice.MessagesWithBody("Then I bring the food").GetByTestId("message-sender")).ToHaveTextAsync(carolName);
        await Expect(alice.MessageBodies).ToHaveTextAsync(expected);
        await Expect(bob.MessageBodies).ToHaveTextAsync(expected);
        await Expect(carol.MessageBodies).ToHaveTextAsync(expected);
        await Screenshots.SaveAsync(alice.Page, "group-chat");
    }

    [Fact]
    public async Task Admins_add_promote_rename_and_remove_and_a_removed_member_keeps_a_read_only_history()
    {
        var aliceName = BrowserFixture.NewUsername("alice");
        var bobName = BrowserFixture.NewUsername("bob");
        var carolName = BrowserFixture.NewUsername("carol");
        await using var alice = await BrowserUser.OpenAsync(fixture, aliceName, output);
        await using var bob = await BrowserUser.OpenAsync(fixture, bobName, output);
        await using var carol = await BrowserUser.OpenAsync(fixture, carolName, output);
        await alice.SignUpAsync();
        await bob.SignUpAsync();
        await carol.SignUpAsync();

        var id = await alice.CreateGroupAsync("Book club", bobName);
        await alice.SendAsync("First meeting on Friday");
        await alice.OpenMembersPanelAsync();
        await Expect(alice.Panel().GetByTestId("group-panel-count")).ToHaveTextAsync("Group · 2 members");
        await Expect(alice.PanelMember(aliceName)).ToHaveAttributeAsync("data-role", "admin");
        await Expect(alice.PanelMember(bobName)).ToHaveAttributeAsync("data-role", "member");

        // Alice adds Carol: a system line everywhere, the panel grows; Carol starts at the event that added her.
        await alice.AddMemberAsync(carolName);
        await Expect(alice.SystemLine($"You added {carolName}")).ToHaveCountAsync(1);
        await Expect(alice.Panel().GetByTestId("group-panel-count")).ToHaveTextAsync("Group · 3 members");
        await Expect(alice.Group(id).GetByTestId("conversation-member-count")).ToHaveTextAsync("3 members");
        await carol.OpenGroupAsync(id, "Book club");
        await Expect(carol.SystemLine($"{aliceName} added you")).ToHaveCountAsync(1);
        await Expect(carol.MessagesWithBody("First meeting on Friday")).ToHaveCountAsync(0);

        // Bob is a plain member: he sees the change live but no admin controls.
        await bob.OpenGroupAsync(id, "Book club");
        await Expect(bob.SystemLine($"{aliceName} added {carolName}")).ToHaveCountAsync(1);
        await bob.OpenMembersPanelAsync();
        await Expect(bob.PanelMember(carolName)).ToBeVisibleAsync();
        await Expect(bob.Panel().GetByTestId("group-add-form")).ToBeHiddenAsync();
        await Expect(bob.Panel().GetByTestId("group-rename-button")).ToBeHiddenAsync();
        await Expect(bob.PanelMember(carolName).GetByTestId("group-remove-member")).ToBeHiddenAsync();

        // Alice makes Bob an admin: he gets the controls at once.
        await alice.PanelMember(bobName).GetByTestId("group-make-admin").ClickAsync();
        await Expect(alice.PanelMember(bobName)).ToHaveAttributeAsync("data-role", "admin");
        await Expect(alice.SystemLine($"{bobName} is now an admin")).ToHaveCountAsync(1);
        await Expect(bob.SystemLine("You are now an admin")).ToHaveCountAsync(1);
        await Expect(bob.PanelMember(bobName)).ToHaveAttributeAsync("data-role", "admin");
        await Expect(bob.Panel().GetByTestId("group-add-form")).ToBeVisibleAsync();

        // Bob renames the group: headers, list and panels follow.
        await bob.Panel().GetByTestId("group-rename-button").ClickAsync();
        await bob.Panel().GetByTestId("group-rename-input").FillAsync("Book club – autumn");
        await bob.Panel().GetByTestId("group-rename-save").ClickAsync();
        await Expect(bob.Panel().GetByTestId("group-panel-name")).ToHaveTextAsync("Book club – autumn");
        await Expect(alice.Page.GetByTestId("chat-peer")).ToHaveTextAsync("Book club – autumn");
        await Expect(alice.Panel().GetByTestId("group-panel-name")).ToHaveTextAsync("Book club – autumn");
        await Expect(alice.SystemLine($"{bobName} renamed the group to “Book club – autumn”")).ToHaveCountAsync(1);
        await Expect(carol.Page.GetByTestId("chat-peer")).ToHaveTextAsync("Book club – autumn");
        await Screenshots.SaveAsync(alice.Page, "group-members");

        // Alice removes Carol: gone from every panel; Carol keeps her copy, read-only.
        await alice.PanelMember(carolName).GetByTestId("group-remove-member").ClickAsync();
        await Expect(alice.PanelMember(carolName)).ToHaveCountAsync(0);
        await Expect(alice.SystemLine($"You removed {carolName}")).ToHaveCountAsync(1);
        await Expect(bob.PanelMember(carolName)).ToHaveCountAsync(0);
        await Expect(carol.SystemLine($"{aliceName} removed you")).ToHaveCountAsync(1);
        await Expect(carol.Page.GetByTestId("composer-closed")).ToBeVisibleAsync();
        await Expect(carol.Page.GetByTestId("composer-closed")).ToContainTextAsync("no longer a member");
        await Expect(carol.MessageInput).ToBeHiddenAsync();
        await Expect(carol.SystemLine($"{bobName} renamed the group to “Book club – autumn”")).ToHaveCountAsync(1);

        // The server refuses her sends too, and a fresh page still shows her history without a composer.
        var (status, code) = await carol.PostMessageAsync(id, "Can I still write here?");
        Assert.Equal(403, status);
        Assert.Equal("forbidden", code);
        await carol.Page.ReloadAsync();
        await carol.ExpectOnlineAsync();
        await Expect(carol.SystemLine($"{aliceName} removed you")).ToHaveCountAsync(1);
        await Expect(carol.Page.GetByTestId("composer-closed")).ToBeVisibleAsync();
        await carol.OpenMembersPanelAsync();
        await Expect(carol.Panel().GetByTestId("group-panel-not-member")).ToBeVisibleAsync();
        await Expect(carol.Panel().GetByTestId("group-leave-button")).ToBeHiddenAsync();
        await carol.Page.GetByTestId("group-panel-close").ClickAsync();
        await Screenshots.SaveAsync(carol.Page, "group-removed");
    }

    [Fact]
    public async Task When_the_last_admin_leaves_the_earliest_member_becomes_admin_and_the_leaver_can_only_read()
    {
        var aliceName = BrowserFixture.NewUsername("alice");
        var bobName = BrowserFixture.NewUsername("bob");
        var carolName = BrowserFixture.NewUsername("carol");
        await using var alice = await BrowserUser.OpenAsync(fixture, aliceName, output);
        // Bob is on a phone: the members panel covers the chat there.
        await using var bob = await BrowserUser.OpenAsync(fixture, bobName, output, width: 390, height: 844, phone: true);
        await using var carol = await BrowserUser.OpenAsync(fixture, carolName, output);
        await alice.SignUpAsync();
        await bob.SignUpAsync();
        await carol.SignUpAsync();

        // A name that is no user is marked before anything is created.
        var nobody = BrowserFixture.NewUsername("nobody");
        await alice.Page.GetByTestId("new-group-button").ClickAsync();
        await alice.Page.GetByTestId("group-name-input").FillAsync("Nowhere");
        await alice.Page.GetByTestId("group-members-input").FillAsync($"{bobName}, {nobody}");
        await alice.Page.GetByTestId("group-create-submit").ClickAsync();
        await Expect(alice.Page.GetByTestId("group-form-error")).ToContainTextAsync(nobody);
        await Expect(alice.Page.Locator($"[data-testid='group-chip'][data-user-id='{nobody}']")).ToHaveAttributeAsync("data-state", "unknown");
        await Expect(alice.Page.Locator($"[data-testid='group-chip'][data-user-id='{bobName}']")).ToHaveAttributeAsync("data-state", "ok");
        await alice.Page.GetByTestId("group-create-cancel").ClickAsync();
        await Expect(alice.ConversationItems).ToHaveCountAsync(0);

        // Bob joins first, Carol later: Bob is the earliest member after Alice.
        var id = await alice.CreateGroupAsync("Leavers", bobName);
        await alice.OpenMembersPanelAsync();
        await alice.AddMemberAsync(carolName);
        await alice.SendAsync("I am off soon");
        await bob.OpenGroupAsync(id, "Leavers");
        await carol.OpenGroupAsync(id, "Leavers");
        await Expect(carol.MessagesWithBody("I am off soon")).ToHaveCountAsync(1);

        await alice.Panel().GetByTestId("group-leave-button").ClickAsync();
        await alice.Panel().GetByTestId("group-leave-yes").ClickAsync();
        await Expect(alice.SystemLine("You left")).ToHaveCountAsync(1);
        await Expect(alice.Page.GetByTestId("composer-closed")).ToBeVisibleAsync();
        await Expect(alice.Panel().GetByTestId("group-panel-not-member")).ToBeVisibleAsync();
        await Expect(alice.Panel().GetByTestId("group-leave-button")).ToBeHiddenAsync();
        await Expect(alice.MessagesWithBody("I am off soon")).ToHaveCountAsync(1);

        await Expect(bob.SystemLine($"{aliceName} left")).ToHaveCountAsync(1);
        await Expect(bob.SystemLine("You are now an admin")).ToHaveCountAsync(1);
        await Expect(carol.SystemLine($"{bobName} is now an admin")).ToHaveCountAsync(1);
        await Expect(bob.Page.GetByTestId("chat-presence")).ToHaveTextAsync($"{carolName}, You");
        await bob.OpenMembersPanelAsync();
        await Expect(bob.PanelMember(bobName)).ToHaveAttributeAsync("data-role", "admin");
        await Expect(bob.PanelMember(aliceName)).ToHaveCountAsync(0);
        await Expect(bob.Panel().GetByTestId("group-add-form")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(bob.Page, "group-members-phone");
        await bob.Page.GetByTestId("group-panel-close").ClickAsync();
        await Expect(bob.MessageInput).ToBeVisibleAsync();

        // The group goes on without her.
        await carol.SendAsync("Bye Alice!");
        await Expect(bob.MessagesWithBody("Bye Alice!")).ToHaveCountAsync(1);
        await Expect(alice.MessagesWithBody("Bye Alice!")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_member_who_was_offline_catches_up_on_the_new_name_and_members_and_sees_who_is_typing()
    {
        var aliceName = BrowserFixture.NewUsername("alice");
        var bobName = BrowserFixture.NewUsername("bob");
        var carolName = BrowserFixture.NewUsername("carol");
        await using var alice = await BrowserUser.OpenAsync(fixture, aliceName, output);
        await using var bob = await BrowserUser.OpenAsync(fixture, bobName, output);
        await using var carol = await BrowserUser.OpenAsync(fixture, carolName, output);
        await alice.SignUpAsync();
        await bob.SignUpAsync();
        await carol.SignUpAsync();
        var id = await alice.CreateGroupAsync("Climbing", bobName);
        await bob.OpenGroupAsync(id, "Climbing");

        // Bob's network drops; meanwhile Alice adds Carol, renames the group and writes.
        await bob.Context.SetOfflineAsync(true);
        await Expect(bob.ConnectionStatus).ToHaveAttributeAsync("data-state", "offline");
        await alice.OpenMembersPanelAsync();
        await alice.AddMemberAsync(carolName);
        await alice.Panel().GetByTestId("group-rename-button").ClickAsync();
        await alice.Panel().GetByTestId("group-rename-input").FillAsync("Climbing gym");
        await alice.Panel().GetByTestId("group-rename-save").ClickAsync();
        await Expect(alice.Page.GetByTestId("chat-peer")).ToHaveTextAsync("Climbing gym");
        await alice.SendAsync("New place on Tuesday");

        // Back online, his sync brings the events: name, members, system lines and the message, in order.
        await bob.Context.SetOfflineAsync(false);
        await Expect(bob.ConnectionStatus).ToHaveAttributeAsync("data-state", "online");
        await Expect(bob.Page.GetByTestId("chat-peer")).ToHaveTextAsync("Climbing gym");
        await Expect(bob.Group(id).GetByTestId("conversation-member-count")).ToHaveTextAsync("3 members");
        await Expect(bob.Page.GetByTestId("chat-presence")).ToHaveTextAsync($"{aliceName}, {carolName}, You");
        await Expect(bob.Page.GetByTestId("message-list").Locator("[data-testid='system-message'], [data-testid='message']"))
            .ToHaveTextAsync(new[]
            {
                new Regex($"^{aliceName} created the group “Climbing”$"),
                new Regex($"^{aliceName} added {carolName}$"),
                new Regex($"^{aliceName} renamed the group to “Climbing gym”$"),
                new Regex("New place on Tuesday"),
            });

        // Two members type at once: the others see both names.
        await carol.OpenGroupAsync(id, "Climbing gym");
        await bob.MessageInput.PressSequentiallyAsync("Tuesday works");
        await carol.MessageInput.PressSequentiallyAsync("Which time?");
        await Expect(alice.Page.GetByTestId("chat-presence")).ToHaveTextAsync($"{bobName} and {carolName} are typing…");
        // Bob's message ends his "typing"; Carol's goes on (or has run out by then).
        await bob.MessageInput.PressAsync("Enter");
        await Expect(alice.MessagesWithBody("Tuesday works")).ToHaveCountAsync(1);
        await Expect(alice.Page.GetByTestId("chat-presence")).ToHaveTextAsync(
            new Regex($"^({carolName} is typing…|{bobName}, {carolName}, You)$"));
    }
}
