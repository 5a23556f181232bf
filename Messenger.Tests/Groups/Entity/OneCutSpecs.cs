using Messenger.Messages.Chat;
using Messenger.Messages.Groups;
using Messenger.Messages.Users;
using Xunit.Abstractions;
using static Messenger.Messages.Groups.GroupCommands;

namespace Messenger.Tests.Groups.Entity;

/// <summary>
/// API.md "One cut for everyone": under concurrent sends and membership changes, every member's copy holds exactly the
/// group's messages from the event that added them to the event that removed them, and all copies agree.
/// </summary>
public sealed class OneCutSpecs(ITestOutputHelper output) : GroupChatSpecBase(output)
{
    [Fact]
    public async Task Every_members_copy_is_its_slice_of_the_one_sequence_after_concurrent_sends_and_membership_changes()
    {
        var users = await UsersAsync("ann", "bob", "cid", "dan", "eve", "fay");
        var (ann, bob, cid, dan, eve, fay) = (users[0], users[1], users[2], users[3], users[4], users[5]);
        var g = (await CreateAsync(ann, bob, cid, dan)).ConversationId;

        async Task<List<object>> Sends(string from, int count)
        {
            var answers = new List<object>();
            for (var i = 0; i < count; i++) answers.Add(await SendAsync(from, g, $"{from} {i}"));
            return answers;
        }

        async Task<List<object>> Changes()
        {
            var answers = new List<object>
            {
                await AskAsync(new AddMember(g, ann, eve)),
                await AskAsync(new RemoveMember(g, ann, dan)),
                await AskAsync(new AddMember(g, ann, fay)),
                await AskAsync(new RemoveMember(g, cid, cid)),
                await AskAsync(new RenameGroup(g, ann, "Renamed")),
                await AskAsync(new AddMember(g, ann, dan)),
            };
            return answers;
        }

        var all = await Task.WhenAll(Sends(ann, 15), Sends(bob, 15), Sends(cid, 15), Sends(dan, 15), Sends(eve, 10), Changes());

        Assert.All(all[5], a => Assert.IsType<GroupReplies.GroupView>(a));
        var sent = all.Take(5).SelectMany(a => a).OfType<UserReplies.MessageSent>().Select(s => s.Message).ToList();
        var refused = all.Take(5).SelectMany(a => a).OfType<UserReplies.Rejected>().ToList();
        Assert.All(refused, r => Assert.Equal(ErrorCodes.Forbidden, r.Code)); // sends while not a member
        Assert.True(sent.Count > 30, $"{sent.Count} messages acknowledged");

        await AwaitAssertAsync(async () =>
        {
            var copies = new Dictionary<string, List<ChatMessage>>();
            foreach (var user in users) copies[user] = await CopyAsync(user, g);
            var sequence = copies.Values.SelectMany(c => c).DistinctBy(m => m.MessageId)
                .OrderBy(m => m.Order, StringComparer.Ordinal).ToList();
            Assert.All(sent, m => Assert.Contains(m, sequence));
            foreach (var user in users)
                Assert.Equal(Expected(sequence, user).Select(m => m.MessageId), copies[user].Select(m => m.MessageId));
            Assert.All(copies.Values.SelectMany(c => c), m => Assert.Equal(sequence.Single(s => s.MessageId == m.MessageId), m));
        }, Wait);
    }

    /// <summary>A member's slices: from each event that added them (group_created or member_added) to the event that
    /// removed them (member_removed or member_left, included), or to the end.</summary>
    private static List<ChatMessage> Expected(List<ChatMessage> sequence, string user)
    {
        var expected = new List<ChatMessage>();
        var member = false;
        foreach (var m in sequence)
        {
            if (m.Kind == MessageKinds.GroupCreated && m.Roster!.Contains(user)) member = true;
            if (m.Kind == MessageKinds.MemberAdded && m.Subject == user) member = true;
            if (member) expected.Add(m);
            if (m.Kind is MessageKinds.MemberRemoved or MessageKinds.MemberLeft && m.Subject == user) member = false;
        }
        return expected;
    }
}
