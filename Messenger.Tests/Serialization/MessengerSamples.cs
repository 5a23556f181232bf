using Akka.Actor;
using Messenger.Messages;
using Messenger.Messages.Accounts;
using Messenger.Messages.Chat;
using Messenger.Messages.Devices;
using Messenger.Messages.Groups;
using Messenger.Messages.Users;

namespace Messenger.Tests.Serialization;

/// <summary>
/// Round-trip samples for <see cref="MessengerSerializerSpec"/>: at least one fully populated sample per
/// <see cref="IMessengerMessage"/> type, plus variants with nullables null and lists empty.
/// A new message type without a sample here fails the spec.
/// </summary>
internal static class MessengerSamples
{
    public sealed record Sample(string Name, Func<IActorRef, IMessengerMessage> Build);

    private static readonly DateTime SentAt = new DateTime(2026, 3, 14, 15, 9, 26, DateTimeKind.Utc).AddTicks(5358979);
    private static readonly DateTime At = new(2025, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc);

    private static ChatMessage Chat(int n) => new(
        Guid.Parse($"0000000{n % 10}-1111-2222-3333-444455556666"),
        Guid.Parse($"aaaaaaa{n % 10}-bbbb-cccc-dddd-eeeeffff0000"),
        "dm:alice:bob",
        "alice",
        "bob",
        $"héllo #{n} 👋\nsecond line \"quoted\"",
        SentAt.AddMinutes(n),
        $"0000000{n}-alice");

    private static InboxMessage Inbox(int n) => new(Chat(n), 100 + n);

    private static Attachment File(int n) => new(
        Guid.Parse($"f000000{n}-1111-2222-3333-444455556666"), $"file {n}.pdf", "application/pdf", 1000L * n, new string('a', 63) + n);

    private static UserReplies.ConversationSummary Summary(int n) =>
        new($"dm:alice:peer{n}", $"peer{n}", Inbox(n), n * 3);

    private static UserSnapshots.ConversationState ConversationState(int n) =>
        new($"peer{n}", n, Inbox(n), $"0000000{n}-bob", n * 2, 1_000_000_000_000L + n, $"0000000{n}-evicted");

    private static UserSnapshots.SeqCheckpoint Checkpoint(int n) => new(500L * n, 1_234L * n);

    public static IReadOnlyList<Sample> All { get; } =
    [
        // Chat / devices
        new("ChatMessage", _ => Chat(1)),
        new("ChatMessage (empty values)", _ => new ChatMessage(
            Guid.Empty, Guid.Empty, "", "", "", "", new DateTime(0, DateTimeKind.Utc), "")),
        new("InboxMessage", _ => Inbox(2)),
        new("InboxMessage (retracted)", _ => Inbox(3) with { Retracted = true }),
        new("Deliver", _ => new DeviceFrames.Deliver(Inbox(3))),
        new("InboxStopped", _ => new DeviceFrames.InboxStopped("alice")),

        // Accounts
        new("Register", _ => new AccountCommands.Register("alice", "$argon2id$v=19$m=65536,t=3,p=4$salt$hash")),
        new("GetCredentials", _ => new AccountCommands.GetCredentials("alice")),
        new("Registered", _ => new AccountReplies.Registered("alice")),
        new("UsernameTaken", _ => new AccountReplies.UsernameTaken("alice")),
        new("Credentials", _ => new AccountReplies.Credentials("alice", "hash")),
        new("Credentials (null hash)", _ => new AccountReplies.Credentials("nobody", null)),
        new("Credentials (empty hash)", _ => new AccountReplies.Credentials("alice", "")),
        new("AccountCreated", _ => new AccountEvents.AccountCreated("alice", "hash", At)),
        new("BeginSignIn", _ => new AccountCommands.BeginSignIn("alice")),
        new("SignInSucceeded", _ => new AccountCommands.SignInSucceeded("alice")),
        new("GetSessions", _ => new AccountCommands.GetSessions("alice")),
        new("SignInUnchecked", _ => new AccountCommands.SignInUnchecked("alice")),
        new("RevokeToken", _ => new AccountCommands.RevokeToken("alice", "0f8fad5bd9cb469fa16570867728950e", At)),
        new("RevokeSessions", _ => new AccountCommands.RevokeSessions("alice")),
        new("ChangePassword", _ => new AccountCommands.ChangePassword("alice", "new-hash")),
        new("SignInAdmitted", _ => new AccountReplies.SignInAdmitted("alice", "hash", 3)),
        new("SignInAdmitted (no account)", _ => new AccountReplies.SignInAdmitted("nobody", null, 0)),
        new("SignInThrottled", _ => new AccountReplies.SignInThrottled("alice", TimeSpan.FromMilliseconds(1500))),
        new("Sessions", _ => new AccountReplies.Sessions("alice", 7, 2, ["a1", "b2"])),
        new("Sessions (none revoked)", _ => new AccountReplies.Sessions("alice", 0, 0, [])),
        new("TokenRevoked", _ => new AccountEvents.TokenRevoked("alice", "a1", At)),
        new("SessionsRevoked", _ => new AccountEvents.SessionsRevoked("alice", 2, At)),
        new("PasswordChanged", _ => new AccountEvents.PasswordChanged("alice", "new-hash", 3, At)),

        // Users: commands
        new("OpenInbox", _ => new UserCommands.OpenInbox("alice")),
        new("SendMessage", _ => new UserCommands.SendMessage(
            "alice", Guid.Parse("c0ffee00-1234-5678-9abc-def012345678"), "bob", "hi bob ✓")),
        new("StoreRecipientCopy", _ => new UserCommands.StoreRecipientCopy("bob", Chat(4))),
        new("StoreSenderCopy", _ => new UserCommands.StoreSenderCopy("alice", Chat(5))),
        new("SenderCopyStored", _ => new UserCommands.SenderCopyStored("bob", Chat(6).MessageId)),
        new("RetractRecipientCopy", _ => new UserCommands.RetractRecipientCopy("bob", Chat(7).MessageId)),
        new("MarkRead", _ => new UserCommands.MarkRead("bob", "dm:alice:bob", "00000007-alice")),
        new("AttachDevice", device => new UserCommands.AttachDevice("alice", device)),
        new("DetachDevice", device => new UserCommands.DetachDevice("alice", device)),

        // Users: events
        new("InboxOpened", _ => new UserEvents.InboxOpened("alice", At)),
        new("MessageStored", _ => new UserEvents.MessageStored(Chat(7), 42, true)),
        new("MessageStored (not awaiting)", _ => new UserEvents.MessageStored(Chat(8), 0, false)),
        new("MessageStored (conversation number)", _ => new UserEvents.MessageStored(Chat(8), 9, false, 3)),
        new("MessageStored (conversation number 0)", _ => new UserEvents.MessageStored(Chat(8), 9, true, 0)),
        new("MessageRetracted", _ => new UserEvents.MessageRetracted(Chat(9), 77)),
        new("SenderCopiesConfirmed", _ => new UserEvents.SenderCopiesConfirmed(
            [Chat(1).MessageId, Guid.Empty, Chat(2).MessageId])),
        new("SenderCopiesConfirmed (empty)", _ => new UserEvents.SenderCopiesConfirmed([])),
        new("ReadMarkerMoved", _ => new UserEvents.ReadMarkerMoved("dm:alice:bob", "00000009-bob")),

        // Users: queries
        new("GetConversations", _ => new UserQueries.GetConversations("alice", 20, 50)),
        new("GetHistory", _ => new UserQueries.GetHistory("alice", "dm:alice:bob", "00000005-bob", 30)),
        new("GetHistory (null before)", _ => new UserQueries.GetHistory("alice", "dm:alice:bob", null, 30)),
        new("GetInboxAfter", _ => new UserQueries.GetInboxAfter("alice", 9_000_000_000L, 200)),

        // Users: replies
        new("InboxReady", _ => new UserReplies.InboxReady("alice")),
        new("DeviceAttached", _ => new UserReplies.DeviceAttached("alice", 42)),
        new("MessageSent", _ => new UserReplies.MessageSent(Chat(1))),
        new("Rejected", _ => new UserReplies.Rejected(
            ErrorCodes.TooLarge, "body exceeds 4096 bytes", Guid.Parse("c0ffee00-1234-5678-9abc-def012345678"))),
        new("Rejected (null client id)", _ => new UserReplies.Rejected(ErrorCodes.NotFound, "no such user")),
        new("RecipientCopyStored", _ => new UserReplies.RecipientCopyStored(Chat(2))),
        new("ReadMarked", _ => new UserReplies.ReadMarked("dm:alice:bob", "00000004-alice")),
        new("ConversationSummary", _ => Summary(1)),
        new("ConversationsPage", _ => new UserReplies.ConversationsPage([Summary(1), Summary(2), Summary(3)])),
        new("ConversationsPage (empty)", _ => new UserReplies.ConversationsPage([])),
        new("HistoryPage", _ => new UserReplies.HistoryPage([Inbox(1), Inbox(2)], "00000001-alice")),
        new("HistoryPage (null next)", _ => new UserReplies.HistoryPage([Inbox(3)], null)),
        new("HistoryPage (empty)", _ => new UserReplies.HistoryPage([], null)),
        new("InboxPage", _ => new UserReplies.InboxPage([Inbox(4), Inbox(5), Inbox(6)], 106)),
        new("InboxPage (empty)", _ => new UserReplies.InboxPage([], 0)),
        new("Attachment", _ => File(1)),
        new("ChatMessage (attachments)", _ => Chat(2) with { Attachments = AttachmentList.Of([File(1), File(2)]) }),
        new("SendMessage (attachments)", _ => new UserCommands.SendMessage("alice", Guid.Empty, "bob", "")
            { Attachments = AttachmentList.Of([File(3)]) }),
        new("InboxSnapshot (carried attachments)", _ => new UserSnapshots.InboxSnapshot("alice", true, 1, 1, [], [], [], [], [])
            { CarriedAttachments = [new(File(1).AttachmentId, 2)] }),
        new("HoldsAttachment", _ => new AttachmentQueries.HoldsAttachment("bob", File(2).AttachmentId)),
        new("AttachmentHeld", _ => new AttachmentQueries.AttachmentHeld(File(2).AttachmentId, false)),

        // Users: snapshots
        new("ConversationState", _ => ConversationState(1)),
        new("SeqCheckpoint", _ => Checkpoint(1)),
        new("InboxSnapshot", _ => new UserSnapshots.InboxSnapshot(
            "alice",
            true,
            1_042,
            7_777_777_777L,
            [ConversationState(1), ConversationState(2)],
            [Inbox(1), Inbox(2), Inbox(3)],
            [Chat(4), Chat(5)],
            [new byte[] { 0, 1, 2, 255 }, [], Enumerable.Range(0, 4096).Select(i => (byte)(i * 31)).ToArray()],
            [Checkpoint(1), Checkpoint(2)],
            [3, 0, 2730])),
        new("InboxSnapshot (empty)", _ => new UserSnapshots.InboxSnapshot("nobody", false, 0, 0, [], [], [], [], [])),

        // Presence and typing
        new("PresenceRecorded", _ => new PresenceEvents.PresenceRecorded(true, At)),
        new("PresenceRecorded (offline)", _ => new PresenceEvents.PresenceRecorded(false, At)),
        new("InboxSnapshot (presence)", _ => new UserSnapshots.InboxSnapshot(
            "alice", true, 1, 2, [], [], [], [], [], null, new PresenceEvents.PresenceRecorded(false, At))),
        new("GetPresence", _ => new PresenceCommands.GetPresence("alice", "bob")),
        new("WatchPresence", _ => new PresenceCommands.WatchPresence("alice", ["bob", "carol"], 3)),
        new("WatchPresence (empty)", _ => new PresenceCommands.WatchPresence("alice", [], 0)),
        new("ReadPresence", _ => new PresenceCommands.ReadPresence("bob")),
        new("Typing", _ => new PresenceCommands.Typing("alice", "dm:alice:bob")),
        new("TypingTo", _ => new PresenceCommands.TypingTo("bob", "dm:alice:bob", "alice")),
        new("UserPresence", _ => new PresenceReplies.UserPresence("bob", false, At, At.Ticks)),
        new("UserPresence (online)", _ => new PresenceReplies.UserPresence("bob", true, null, At.Ticks + 1)),
        new("PresenceVisible", _ => new PresenceReplies.PresenceVisible(3, ["bob"])),
        new("TypingRefused", _ => new PresenceReplies.TypingRefused("dm:alice:zed", ErrorCodes.NotFound, "no such conversation")),
        new("PeerTyping", _ => new TypingFrames.PeerTyping("dm:alice:bob", "alice")),
        // Receipts
        new("MarkReceived", _ => new ReceiptCommands.MarkReceived("bob", 9_000_000_000L)),
        new("CopyPeerReceipt", _ => new ReceiptCommands.CopyPeerReceipt("alice", "dm:alice:bob", "bob", "00000009-alice", "00000008-alice")),
        new("CopyPeerReceipt (no markers)", _ => new ReceiptCommands.CopyPeerReceipt("alice", "dm:alice:bob", "bob", "", "")),
        new("ReceivedMarked", _ => new ReceiptReplies.ReceivedMarked("bob", 42)),
        new("CopyPeerReceiptStored", _ => new ReceiptCommands.CopyPeerReceiptStored("bob", "dm:alice:bob", "00000009-alice", "")),
        new("DeliveredMarkersMoved", _ => new ReceiptEvents.DeliveredMarkersMoved(
            [new("dm:alice:bob", "00000009-alice"), new("dm:bob:carol", "00000003-carol")])),
        new("DeliveredMarkersMoved (empty)", _ => new ReceiptEvents.DeliveredMarkersMoved([])),
        new("PeerReceiptCopied", _ => new ReceiptEvents.PeerReceiptCopied("dm:alice:bob", "00000009-alice", "")),
        new("DeviceReceipt", _ => new DeviceReceipt("dm:alice:bob", "bob", "00000009-alice", "00000008-alice")),
        new("RecipientCopyStored (with markers)", _ => new UserReplies.RecipientCopyStored(Chat(2), "00000001-alice", "")),
        new("ConversationSummary (with receipts)", _ => Summary(2) with { PeerDelivered = "00000002-alice", PeerRead = "" }),
        new("InboxSnapshot (with receipts)", _ => new UserSnapshots.InboxSnapshot(
            "alice", true, 3, 9, [ConversationState(1)], [Inbox(1)], [], [], [], null,
            Receipts: [
                new ConversationReceiptsState("peer1", "dm:alice:peer1", "00000001-peer1", "00000002-alice", "00000001-alice",
                    [2, 3], ["00000002-peer1", "00000003-peer1"], 1, "00000001-peer1"),
                new ConversationReceiptsState("peer2", "dm:alice:peer2", "", "", "", [], [], 0, ""),
            ])),
        new("InboxSnapshot (receipts kept, none)", _ => new UserSnapshots.InboxSnapshot(
            "alice", true, 0, 0, [], [], [], [], [], null, Receipts: [])),
        // Groups: entity (commands and replies, events, snapshot)
        new("CreateGroup", _ => new GroupCommands.CreateGroup("grp:g1", "alice", "Team é 👋", ["bob", "carol"])),
        new("CreateGroup (no members)", _ => new GroupCommands.CreateGroup("grp:g1", "alice", "", [])),
        new("GetGroup", _ => new GroupCommands.GetGroup("grp:g1", "bob")),
        new("RenameGroup", _ => new GroupCommands.RenameGroup("grp:g1", "alice", "Renamed")),
        new("AddMember", _ => new GroupCommands.AddMember("grp:g1", "alice", "dave")),
        new("RemoveMember", _ => new GroupCommands.RemoveMember("grp:g1", "alice", "bob")),
        new("MakeAdmin", _ => new GroupCommands.MakeAdmin("grp:g1", "alice", "carol")),
        new("PostMessage", _ => new GroupCommands.PostMessage("grp:g1", "bob", Chat(4).ClientMessageId, "hi all", SentAt, 123_456_789L)
            { Attachments = AttachmentList.Of([File(1)]) }),
        new("GroupCopyStored", _ => new GroupCommands.GroupCopyStored("grp:g1", "carol", Chat(5).MessageId)),
        new("GroupView", _ => new GroupReplies.GroupView("grp:g1", "Team", At,
            [new GroupMember("alice", GroupRoles.Admin, 1), new GroupMember("bob", GroupRoles.Member, 2)])),
        new("GroupView (closed)", _ => new GroupReplies.GroupView("grp:g1", "Team", At, [])),
        new("MessageStamped (text)", _ => new GroupEvents.MessageStamped(
            Chat(6) with { ConversationId = "grp:g1", To = "grp:g1" }, ["bob", "alice"])),
        new("MessageStamped (membership)", _ => new GroupEvents.MessageStamped(
            Chat(7) with { ConversationId = "grp:g1", To = "grp:g1", Body = "", Kind = MessageKinds.MemberAdded, Subject = "carol",
                Roster = new GroupRoster("Team", [new GroupMember("alice", GroupRoles.Admin, 1), new GroupMember("carol", GroupRoles.Member, 3)]) },
            ["alice", "carol"])),
        new("FanOutsDone", _ => new GroupEvents.FanOutsDone([Chat(1).MessageId, Chat(2).MessageId])),
        new("GroupKey", _ => new GroupSnapshots.GroupKey("bob", Chat(3).ClientMessageId)),
        new("GroupSnapshot", _ => new GroupSnapshots.GroupSnapshot("grp:g1", true, false, "Team", At, "alice",
            [new GroupMember("alice", GroupRoles.Admin, 1), new GroupMember("bob", GroupRoles.Member, 2)], 3, 987_654_321L,
            [new GroupEvents.MessageStamped(Chat(8) with { ConversationId = "grp:g1", To = "grp:g1" }, ["alice", "bob"])],
            [new GroupSnapshots.GroupKey("bob", Chat(9).ClientMessageId)])),
        new("GroupSnapshot (closed, empty)", _ => new GroupSnapshots.GroupSnapshot("grp:g1", true, true, "", At, "", [], 0, 0, [], [])),
        // Groups: member inboxes
        new("ChatMessage (group event)", _ => GroupEvent(4)),
        new("ChatMessage (group text)", _ => Chat(5) with { ConversationId = "grp:team", To = "grp:team", Kind = MessageKinds.Text }),
        new("StoreGroupCopy", _ => new UserCommands.StoreGroupCopy("bob", GroupEvent(6))),
        new("GroupSummary", _ => new UserReplies.GroupSummary("Team ✓", 256, true)),
        new("GroupSummary (not a member)", _ => new UserReplies.GroupSummary("", 0, false)),
        new("MemberReceipt", _ => new UserReplies.MemberReceipt("carol", "00000002-alice", "00000001-alice")),
        new("MemberReceipt (no markers)", _ => new UserReplies.MemberReceipt("carol", null, null)),
        new("ConversationSummary (group)", _ => new UserReplies.ConversationSummary("grp:team", "grp:team", new InboxMessage(GroupEvent(7), 7), 2)
        {
            Group = new UserReplies.GroupSummary("Team", 3, true),
            MemberReceipts = [new("bob", "00000007-alice", null), new("carol", null, null)],
        }),
        new("ConversationSummary (group, alone)", _ => new UserReplies.ConversationSummary("grp:team", "grp:team", Inbox(8), 0)
            { Group = new UserReplies.GroupSummary("Team", 1, true), MemberReceipts = [] }),
        new("CopyPeerReceiptStored (by)", _ => new ReceiptCommands.CopyPeerReceiptStored("bob", "grp:team", "00000009-alice", "")
            { By = "carol" }),
        new("PeerReceiptCopied (member)", _ => new ReceiptEvents.PeerReceiptCopied("grp:team", "00000009-alice", "00000008-alice")
            { Of = "carol" }),
        new("MemberReceiptsCopied", _ => new ReceiptEvents.MemberReceiptsCopied([
            new("grp:team", "00000009-alice", "00000008-alice") { Of = "carol" }, new("grp:team", "", "") { Of = "bob" }])),
        new("MemberReceiptsCopied (empty)", _ => new ReceiptEvents.MemberReceiptsCopied([])),
        new("ConversationState (group)", _ => ConversationState(3) with { Roster = GroupEvent(3).Roster, RosterOrder = "00000003-alice" }),
        new("InboxSnapshot (group)", _ => new UserSnapshots.InboxSnapshot(
            "bob", true, 9, 9, [ConversationState(4) with { Peer = "grp:team", Roster = GroupEvent(4).Roster, RosterOrder = "00000004-alice" }],
            [new InboxMessage(GroupEvent(4), 9)], [], [], [], null,
            Receipts: [
                new ConversationReceiptsState("grp:team", "grp:team", "00000004-carol", "", "", [9], ["00000005-carol"], 0, "")
                {
                    Members = [new MemberMarkersState("alice", "00000004-alice", "00000003-alice"), new MemberMarkersState("carol", "", "")],
                },
            ])),
    ];

    private static ChatMessage GroupEvent(int n) => Chat(n) with
    {
        ConversationId = "grp:team",
        To = "grp:team",
        Body = "",
        Kind = MessageKinds.MemberAdded,
        Subject = "carol",
        Roster = new Messenger.Messages.Groups.GroupRoster("Team", [
            new("alice", Messenger.Messages.Groups.GroupRoles.Admin, 1),
            new("bob", Messenger.Messages.Groups.GroupRoles.Member, 2),
            new("carol", Messenger.Messages.Groups.GroupRoles.Member, 5),
        ]),
    };
}
