using Akka.Actor;
using Messenger.Messages;
using Messenger.Messages.Accounts;
using Messenger.Messages.Chat;
using Messenger.Messages.Devices;
using Messenger.Messages.Groups;
using Messenger.Messages.Users;

namespace Messenger.Tests.Serialization.Golden;

/// <summary>
/// One golden sample: the record that the bytes stored under (<see cref="Version"/>, <see cref="Name"/>) in
/// Golden/&lt;version&gt;.txt must deserialize to, forever. <see cref="StillWritten"/>: today's serializer writes
/// exactly those bytes for this record; set it to false (never edit the bytes) when a deliberate format change
/// makes the writer produce new bytes, and add a sample of a new version for them.
/// When a record gains a field, update <see cref="Expected"/> to what old bytes mean now (usually the default).
/// </summary>
internal sealed record GoldenSample(
    string Version, string Name, Func<IActorRef, IMessengerMessage> Expected, bool StillWritten = true)
{
    public string Key => $"{Version}/{Name}";
}

/// <summary>
/// The golden samples: fixed values only (no clock, no random ids), so the bytes never depend on when or where
/// the spec runs. Devices are the spec system's dead letters, whose path is fixed by the system's name.
/// </summary>
internal static class GoldenSamples
{
    private const string V1 = "v1";

    private static readonly DateTime SentAt = new DateTime(2026, 1, 15, 10, 30, 0, DateTimeKind.Utc).AddTicks(1234567);
    private static readonly DateTime CreatedAt = new(2025, 11, 2, 8, 0, 0, 250, DateTimeKind.Utc);
    private static readonly Guid ClientId = Guid.Parse("6f1c2a3b-4d5e-4f60-8172-93a4b5c6d7e8");

    private static ChatMessage Chat(int n) => new(
        Guid.Parse($"1000000{n}-2000-4000-8000-a0000000000{n}"),
        Guid.Parse($"c000000{n}-d000-4000-8000-e0000000000{n}"),
        "dm:alice:bob",
        n % 2 == 0 ? "bob" : "alice",
        n % 2 == 0 ? "alice" : "bob",
        $"message {n}: héllo 👋\n\"quoted\"",
        SentAt.AddSeconds(n),
        $"00000000000{n}-{(n % 2 == 0 ? "bob" : "alice")}");

    private static InboxMessage Inbox(int n) => new(Chat(n), 40 + n);

    private static UserReplies.ConversationSummary Summary(int n) => new($"dm:alice:peer{n}", $"peer{n}", Inbox(n), n);

    private static UserSnapshots.ConversationState Conversation(int n) =>
        new($"peer{n}", n - 1, Inbox(n), $"00000000000{n}-alice", n, 10L + n, n == 1 ? "" : "000000000001-bob");

    private static UserSnapshots.SeqCheckpoint Checkpoint(int n) => new(1_000L * n, 1_003L * n);

    private static Attachment File(int n) => new(
        Guid.Parse($"a000000{n}-b000-4000-8000-c0000000000{n}"), $"photo {n} é.png", n % 2 == 0 ? "application/pdf" : "image/png",
        26_214_400L - n, $"{n}e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85"[..64]);

    private static ChatMessage ChatWithFiles(int n) => Chat(n) with { Attachments = AttachmentList.Of([File(1), File(2)]) };

    public static IReadOnlyList<GoldenSample> All { get; } =
    [
        // Persisted: user events (the inbox journal)
        new(V1, "InboxOpened", _ => new UserEvents.InboxOpened("alice", CreatedAt)),
        new(V1, "MessageStored", _ => new UserEvents.MessageStored(Chat(1), 41, true)),
        new(V1, "MessageStored (not awaiting)", _ => new UserEvents.MessageStored(Chat(2), 42, false)),
        new(V1, "MessageStored (numbered)", _ => new UserEvents.MessageStored(Chat(3), 43, true, 7)),
        new(V1, "MessageRetracted", _ => new UserEvents.MessageRetracted(Chat(1), 44)),
        new(V1, "SenderCopiesConfirmed", _ => new UserEvents.SenderCopiesConfirmed([Chat(1).MessageId, Chat(3).MessageId])),
        new(V1, "SenderCopiesConfirmed (empty)", _ => new UserEvents.SenderCopiesConfirmed([])),
        new(V1, "ReadMarkerMoved", _ => new UserEvents.ReadMarkerMoved("dm:alice:bob", "000000000002-bob")),

        // Persisted: user snapshots
        new(V1, "ConversationState", _ => Conversation(2)),
        new(V1, "SeqCheckpoint", _ => Checkpoint(3)),
        new(V1, "InboxSnapshot", _ => new UserSnapshots.InboxSnapshot(
            "alice",
            true,
            43,
            7,
            [Conversation(1), Conversation(2)],
            [Inbox(1), Inbox(2), Inbox(3)],
            [Chat(4)],
            [new byte[] { 0x00, 0x5a, 0xa5, 0xff, 0x10, 0x01 }, []],
            [Checkpoint(1), Checkpoint(2)])),
        new(V1, "InboxSnapshot (empty)", _ => new UserSnapshots.InboxSnapshot("bob", false, 0, 0, [], [], [], [], [])),

        // Persisted: account events
        new(V1, "AccountCreated", _ => new AccountEvents.AccountCreated("alice", "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", CreatedAt)),
        new(V1, "TokenRevoked", _ => new AccountEvents.TokenRevoked("alice", "token-1", CreatedAt)),
        new(V1, "SessionsRevoked", _ => new AccountEvents.SessionsRevoked("alice", 3, CreatedAt)),
        new(V1, "PasswordChanged", _ => new AccountEvents.PasswordChanged("alice", "$argon2id$new", 4, CreatedAt)),

        // Embedded in the persisted types above (and sent on their own)
        new(V1, "ChatMessage", _ => Chat(5)),
        new(V1, "InboxMessage", _ => Inbox(6)),
        new(V1, "InboxMessage (retracted)", _ => Inbox(6) with { Retracted = true }),

        // Cluster messages: devices and accounts
        new(V1, "Deliver", _ => new DeviceFrames.Deliver(Inbox(7))),
        new(V1, "InboxStopped", _ => new DeviceFrames.InboxStopped("alice")),
        new(V1, "Register", _ => new AccountCommands.Register("alice", "$argon2id$hash")),
        new(V1, "GetCredentials", _ => new AccountCommands.GetCredentials("alice")),
        new(V1, "Registered", _ => new AccountReplies.Registered("alice")),
        new(V1, "UsernameTaken", _ => new AccountReplies.UsernameTaken("alice")),
        new(V1, "Credentials", _ => new AccountReplies.Credentials("alice", "$argon2id$hash")),
        new(V1, "Credentials (null hash)", _ => new AccountReplies.Credentials("nobody", null)),
        new(V1, "BeginSignIn", _ => new AccountCommands.BeginSignIn("alice")),
        new(V1, "SignInSucceeded", _ => new AccountCommands.SignInSucceeded("alice")),
        new(V1, "SignInUnchecked", _ => new AccountCommands.SignInUnchecked("alice")),
        new(V1, "GetSessions", _ => new AccountCommands.GetSessions("alice")),
        new(V1, "RevokeToken", _ => new AccountCommands.RevokeToken("alice", "token-1", CreatedAt)),
        new(V1, "RevokeSessions", _ => new AccountCommands.RevokeSessions("alice")),
        new(V1, "ChangePassword", _ => new AccountCommands.ChangePassword("alice", "$argon2id$new")),
        new(V1, "SignInAdmitted", _ => new AccountReplies.SignInAdmitted("alice", "$argon2id$hash", 2)),
        new(V1, "SignInAdmitted (no account)", _ => new AccountReplies.SignInAdmitted("nobody", null, 0)),
        new(V1, "SignInThrottled", _ => new AccountReplies.SignInThrottled("alice", TimeSpan.FromSeconds(8))),
        new(V1, "Sessions", _ => new AccountReplies.Sessions("alice", 7, 2, ["token-1", "token-2"])),

        // Cluster messages: user commands
        new(V1, "OpenInbox", _ => new UserCommands.OpenInbox("alice")),
        new(V1, "SendMessage", _ => new UserCommands.SendMessage("alice", ClientId, "bob", "hi bob ✓")),
        new(V1, "StoreIncoming", _ => new UserCommands.StoreRecipientCopy("bob", Chat(1))),
        new(V1, "StoreOutgoing", _ => new UserCommands.StoreSenderCopy("alice", Chat(1))),
        new(V1, "ConfirmSenderCopy", _ => new UserCommands.SenderCopyStored("bob", Chat(1).MessageId)),
        new(V1, "RetractRecipientCopy", _ => new UserCommands.RetractRecipientCopy("bob", Chat(1).MessageId)),
        new(V1, "MarkRead", _ => new UserCommands.MarkRead("bob", "dm:alice:bob", "000000000001-alice")),
        new(V1, "AttachDevice", device => new UserCommands.AttachDevice("alice", device)),
        new(V1, "DetachDevice", device => new UserCommands.DetachDevice("alice", device)),

        // Cluster messages: user queries
        new(V1, "GetConversations", _ => new UserQueries.GetConversations("alice", 10, 20)),
        new(V1, "GetHistory", _ => new UserQueries.GetHistory("alice", "dm:alice:bob", "000000000003-alice", 50)),
        new(V1, "GetHistory (null before)", _ => new UserQueries.GetHistory("alice", "dm:alice:bob", null, 50)),
        new(V1, "GetInboxAfter", _ => new UserQueries.GetInboxAfter("alice", 40, 100)),

        // Cluster messages: user replies
        new(V1, "InboxReady", _ => new UserReplies.InboxReady("alice")),
        new(V1, "DeviceAttached", _ => new UserReplies.DeviceAttached("alice", 43)),
        new(V1, "MessageSent", _ => new UserReplies.MessageSent(Chat(1))),
        new(V1, "Rejected", _ => new UserReplies.Rejected(ErrorCodes.TooLarge, "body exceeds 4096 bytes", ClientId)),
        new(V1, "Rejected (null client id)", _ => new UserReplies.Rejected(ErrorCodes.NotFound, "no such user")),
        new(V1, "IncomingStored", _ => new UserReplies.RecipientCopyStored(Chat(1))),
        new(V1, "ReadMarked", _ => new UserReplies.ReadMarked("dm:alice:bob", "000000000001-alice")),
        new(V1, "ConversationSummary", _ => Summary(1)),
        new(V1, "ConversationsPage", _ => new UserReplies.ConversationsPage([Summary(1), Summary(2)])),
        new(V1, "HistoryPage", _ => new UserReplies.HistoryPage([Inbox(1), Inbox(2)], "000000000001-alice")),
        new(V1, "HistoryPage (null next)", _ => new UserReplies.HistoryPage([], null)),
        new(V1, "InboxPage", _ => new UserReplies.InboxPage([Inbox(3)], 43)),

        // Presence and typing: the event and the snapshot field are persisted; the rest are cluster messages
        new(V1, "PresenceRecorded", _ => new PresenceEvents.PresenceRecorded(false, CreatedAt)),
        new(V1, "PresenceRecorded (online)", _ => new PresenceEvents.PresenceRecorded(true, SentAt)),
        new(V1, "InboxSnapshot (presence)", _ => new UserSnapshots.InboxSnapshot(
            "alice", true, 43, 7, [Conversation(1)], [Inbox(1)], [], [], [Checkpoint(1)], null,
            new PresenceEvents.PresenceRecorded(false, CreatedAt))),
        new(V1, "GetPresence", _ => new PresenceCommands.GetPresence("alice", "bob")),
        new(V1, "WatchPresence", _ => new PresenceCommands.WatchPresence("alice", ["bob", "carol"], 2)),
        new(V1, "ReadPresence", _ => new PresenceCommands.ReadPresence("bob")),
        new(V1, "Typing", _ => new PresenceCommands.Typing("alice", "dm:alice:bob")),
        new(V1, "TypingTo", _ => new PresenceCommands.TypingTo("bob", "dm:alice:bob", "alice")),
        new(V1, "UserPresence", _ => new PresenceReplies.UserPresence("bob", false, CreatedAt, CreatedAt.Ticks)),
        new(V1, "UserPresence (online)", _ => new PresenceReplies.UserPresence("bob", true, null, SentAt.Ticks)),
        new(V1, "PresenceVisible", _ => new PresenceReplies.PresenceVisible(2, ["bob"])),
        new(V1, "TypingRefused", _ => new PresenceReplies.TypingRefused("dm:alice:zed", ErrorCodes.NotFound, "no such conversation")),
        new(V1, "PeerTyping", _ => new TypingFrames.PeerTyping("dm:alice:bob", "alice")),
        // Attachments (issue 11): persisted inside MessageStored and the inbox snapshot; the access check
        new(V1, "Attachment", _ => File(3)),
        new(V1, "MessageStored (attachments)", _ => new UserEvents.MessageStored(ChatWithFiles(5), 45, true, 2)),
        new(V1, "InboxSnapshot (carried attachments)", _ => new UserSnapshots.InboxSnapshot(
            "alice", true, 45, 9, [Conversation(1)], [new InboxMessage(ChatWithFiles(5), 45)], [], [], [])
            { CarriedAttachments = [new(File(1).AttachmentId, 1), new(File(2).AttachmentId, 3)] }),
        new(V1, "SendMessage (attachments)", _ => new UserCommands.SendMessage("alice", ClientId, "bob", "")
            { Attachments = AttachmentList.Of([File(1)]) }),
        new(V1, "HoldsAttachment", _ => new AttachmentQueries.HoldsAttachment("bob", File(1).AttachmentId)),
        new(V1, "AttachmentHeld", _ => new AttachmentQueries.AttachmentHeld(File(1).AttachmentId, true)),
        // Receipts: persisted events and snapshot part, cluster messages, device push
        new(V1, "DeliveredMarkersMoved", _ => new ReceiptEvents.DeliveredMarkersMoved(
            [new("dm:alice:bob", "000000000002-bob"), new("dm:alice:carol", "000000000003-carol")])),
        new(V1, "PeerReceiptCopied", _ => new ReceiptEvents.PeerReceiptCopied("dm:alice:bob", "000000000001-alice", "")),
        new(V1, "InboxSnapshot (receipts)", _ => new UserSnapshots.InboxSnapshot(
            "alice", true, 43, 7, [Conversation(1)], [Inbox(1)], [], [], [], null,
            Receipts: [new ConversationReceiptsState("peer1", "dm:alice:peer1", "000000000001-alice", "000000000001-alice", "",
                [42, 43], ["000000000002-peer1", "000000000003-peer1"], 0, "")])),
        new(V1, "MarkReceived", _ => new ReceiptCommands.MarkReceived("bob", 43)),
        new(V1, "CopyPeerReceipt", _ => new ReceiptCommands.CopyPeerReceipt("alice", "dm:alice:bob", "bob", "000000000001-alice", "")),
        new(V1, "ReceivedMarked", _ => new ReceiptReplies.ReceivedMarked("bob", 43)),
        new(V1, "CopyPeerReceiptStored", _ => new ReceiptCommands.CopyPeerReceiptStored("bob", "dm:alice:bob", "000000000001-alice", "")),
        new(V1, "DeviceReceipt", _ => new DeviceReceipt("dm:alice:bob", "bob", "000000000001-alice", "000000000001-alice")),
        new(V1, "IncomingStored (receipts)", _ => new UserReplies.RecipientCopyStored(Chat(1), "000000000002-bob", "")),
        new(V1, "ConversationSummary (receipts)", _ => Summary(1) with { PeerDelivered = "000000000001-alice", PeerRead = "" }),
        // Groups: entity. Persisted: MessageStamped, FanOutsDone, GroupSnapshot (with GroupKey); the rest cluster traffic
        new(V1, "MessageStamped (text)", _ => new GroupEvents.MessageStamped(GroupChat(1), ["bob", "alice"])),
        new(V1, "MessageStamped (membership)", _ => new GroupEvents.MessageStamped(GroupChat(2) with
        {
            Body = "", Kind = MessageKinds.MemberAdded, Subject = "carol",
            Roster = new GroupRoster("Team", [new("alice", GroupRoles.Admin, 1), new("carol", GroupRoles.Member, 3)]),
        }, ["alice", "carol"])),
        new(V1, "FanOutsDone", _ => new GroupEvents.FanOutsDone([Chat(1).MessageId, Chat(2).MessageId])),
        new(V1, "GroupKey", _ => new GroupSnapshots.GroupKey("bob", ClientId)),
        new(V1, "GroupSnapshot", _ => new GroupSnapshots.GroupSnapshot("grp:g1", true, false, "Team", CreatedAt, "alice",
            [new("alice", GroupRoles.Admin, 1), new("bob", GroupRoles.Member, 2)], 3, 123_456_789L,
            [new GroupEvents.MessageStamped(GroupChat(3), ["alice", "bob"])], [new GroupSnapshots.GroupKey("bob", ClientId)])),
        new(V1, "CreateGroup", _ => new GroupCommands.CreateGroup("grp:g1", "alice", "Team", ["bob", "carol"])),
        new(V1, "GetGroup", _ => new GroupCommands.GetGroup("grp:g1", "bob")),
        new(V1, "RenameGroup", _ => new GroupCommands.RenameGroup("grp:g1", "alice", "Renamed")),
        new(V1, "AddMember", _ => new GroupCommands.AddMember("grp:g1", "alice", "dave")),
        new(V1, "RemoveMember", _ => new GroupCommands.RemoveMember("grp:g1", "alice", "bob")),
        new(V1, "MakeAdmin", _ => new GroupCommands.MakeAdmin("grp:g1", "alice", "carol")),
        new(V1, "PostMessage", _ => new GroupCommands.PostMessage("grp:g1", "bob", ClientId, "hi all", SentAt, 123_456_789L)
            { Attachments = AttachmentList.Of([File(1)]) }),
        new(V1, "GroupCopyStored", _ => new GroupCommands.GroupCopyStored("grp:g1", "carol", Chat(1).MessageId)),
        new(V1, "GroupView", _ => new GroupReplies.GroupView("grp:g1", "Team", CreatedAt,
            [new("alice", GroupRoles.Admin, 1), new("bob", GroupRoles.Member, 2)])),
        // Groups, member inboxes (issue 12): group copies in MessageStored, member markers, group conversations in snapshots
        new(V1, "ChatMessage (group event)", _ => GroupEvent(6)),
        new(V1, "MessageStored (group event)", _ => new UserEvents.MessageStored(GroupEvent(7), 47, false, 3)),
        new(V1, "MessageStored (group text)", _ => new UserEvents.MessageStored(GroupText(8), 48, false, 3)),
        new(V1, "PeerReceiptCopied (member)", _ => new ReceiptEvents.PeerReceiptCopied("grp:team", "000000000008-carol", "")
            { Of = "carol" }),
        new(V1, "MemberReceiptsCopied", _ => new ReceiptEvents.MemberReceiptsCopied([
            new("grp:team", "000000000008-carol", "000000000007-alice") { Of = "bob" },
            new("grp:team", "000000000008-carol", "000000000008-carol") { Of = "carol" }])),
        new(V1, "ConversationState (group)", _ => GroupConversation(7)),
        new(V1, "InboxSnapshot (group)", _ => new UserSnapshots.InboxSnapshot(
            "alice", true, 48, 8, [Conversation(1), GroupConversation(7)], [new InboxMessage(GroupEvent(7), 47), new InboxMessage(GroupText(8), 48)],
            [], [], [], null,
            Receipts: [new ConversationReceiptsState("grp:team", "grp:team", "000000000008-carol", "", "", [], [], 0, "")
            {
                Members = [new MemberMarkersState("bob", "000000000007-alice", "000000000007-alice"), new MemberMarkersState("carol", "000000000008-carol", "000000000008-carol")],
            }])),
        new(V1, "StoreGroupCopy", _ => new UserCommands.StoreGroupCopy("bob", GroupText(8))),
        new(V1, "CopyPeerReceiptStored (by)", _ => new ReceiptCommands.CopyPeerReceiptStored("alice", "grp:team", "000000000008-carol", "")
            { By = "bob" }),
        new(V1, "GroupSummary", _ => new UserReplies.GroupSummary("Team", 3, true)),
        new(V1, "MemberReceipt", _ => new UserReplies.MemberReceipt("bob", "000000000007-alice", null)),
        new(V1, "ConversationSummary (group)", _ => new UserReplies.ConversationSummary("grp:team", "grp:team", new InboxMessage(GroupText(8), 48), 1)
        {
            Group = new UserReplies.GroupSummary("Team", 3, true),
            MemberReceipts = [new("bob", "000000000007-alice", "000000000007-alice"), new("carol", null, null)],
        }),
    ];

    private static GroupRoster Roster() => new("Team", [
        new("alice", GroupRoles.Admin, 1), new("bob", GroupRoles.Member, 2), new("carol", GroupRoles.Member, 3)]);

    private static ChatMessage GroupEvent(int n) => Chat(n) with
    {
        ConversationId = "grp:team", From = "alice", To = "grp:team", Body = "", Kind = MessageKinds.MemberAdded, Subject = "carol",
        Roster = Roster(), Order = $"00000000000{n}-alice",
    };

    private static ChatMessage GroupText(int n) => Chat(n) with
    {
        ConversationId = "grp:team", From = "carol", To = "grp:team", Order = $"00000000000{n}-carol",
    };

    private static UserSnapshots.ConversationState GroupConversation(int n) =>
        new("grp:team", 2, new InboxMessage(GroupEvent(n), 40 + n), "", 1, 2, "") { Roster = Roster(), RosterOrder = GroupEvent(n).Order };

    private static ChatMessage GroupChat(int n) => Chat(n) with { ConversationId = "grp:g1", To = "grp:g1" };
}
