using System.Text;
using Messenger.Messages.Chat;
using static Messenger.Messages.Users.UserCommands;
using static Messenger.Messages.Users.UserReplies;

namespace Messenger.Node.Inbox;

/// <summary>The sender's side: validate, dedupe, stamp, ask the recipient first, then write (or adopt) the sender's copy.</summary>
public sealed partial class InboxCore
{
    private void Send(SendMessage send, object replyTo, DateTime now, List<InboxEffect> fx)
    {
        if (Validate(send) is { } invalid)
        {
            fx.Add(new InboxEffect.Reply(replyTo, invalid));
            return;
        }
        var key = new MessageKey(_me, send.ClientMessageId);
        if (Known(key) is { } known)
        {
            fx.Add(new InboxEffect.Reply(replyTo, SameContent(known.Message, send)
                ? new MessageSent(known.Message)
                : Reused(send.ClientMessageId)));
            return;
        }
        if (_writing.TryGetValue(key, out var write))
        {
            if (SameContent(write.Stored.Message, send)) write.Waiters.Add(new Waiter(replyTo, Answer.Sent));
            else fx.Add(new InboxEffect.Reply(replyTo, Reused(send.ClientMessageId)));
            return;
        }
        if (_sends.Find(send.ClientMessageId) is { } pending)
        {
            if (SameContent(pending.Message, send)) pending.Waiters.Add(replyTo);
            else fx.Add(new InboxEffect.Reply(replyTo, Reused(send.ClientMessageId)));
            return;
        }
        if (ParkedForStorage(key, send, replyTo, conversationId: null, fx)) return; // her own key: every conversation

        if (ConversationId.IsGroup(send.To))
        {
            PostToGroup(send, replyTo, now, fx);
            return;
        }
        var messageId = Guid.NewGuid();
        var clock = _reserved.NextClock(State.Clock, now);
        var message = new ChatMessage(
            messageId, send.ClientMessageId, ConversationId.Direct(_me, send.To), _me, send.To, send.Body,
            now, ConversationOrder.Format(clock, messageId)) { Attachments = send.Attachments };
        _sends.Start(message, replyTo, now);
        fx.Add(new InboxEffect.ToInbox(new StoreRecipientCopy(send.To, message)));
    }

    private Rejected? Validate(SendMessage send)
    {
        if (!State.Opened)
            return new Rejected(ErrorCodes.Unavailable, "this account's inbox is not open yet; sign in again", send.ClientMessageId);
        if (send.To == _me)
            return new Rejected(ErrorCodes.InvalidRequest, "you cannot send a message to yourself", send.ClientMessageId);
        // Whether the sender may post to a group is the group's to decide (it answers forbidden).
        if (!Messenger.Messages.Chat.UserId.IsValid(send.To) && !ConversationId.IsGroup(send.To))
            return new Rejected(ErrorCodes.NotFound, "no such recipient", send.ClientMessageId);
        if (string.IsNullOrEmpty(send.Body) && send.Attachments.Count == 0)
            return new Rejected(ErrorCodes.InvalidRequest, "body must not be empty", send.ClientMessageId);
        if (send.Attachments.Count > Attachment.MaxPerMessage)
            return new Rejected(ErrorCodes.InvalidRequest, "at most 10 attachments", send.ClientMessageId);
        if (Encoding.UTF8.GetByteCount(send.Body) > Limits.MaxBodyBytes)
            return new Rejected(ErrorCodes.TooLarge, "body is over 4096 UTF-8 bytes", send.ClientMessageId);
        return null;
    }

    /// <summary>
    /// The recipient holds <paramref name="message"/> under one of this user's keys: it answered our request, or it
    /// drives the sender's copy (<paramref name="driven"/>, <paramref name="recipient"/> waits for the answer).
    /// The first message written under a key in the sender's copy is the key's message; the recipient's copy of any
    /// other is retracted. A pending send under the key gets that message, or <c>invalid_request</c> if it differs.
    /// </summary>
    private void Adopt(ChatMessage message, object? recipient, bool driven, List<InboxEffect> fx)
    {
        var key = new MessageKey(_me, message.ClientMessageId);
        if (Known(key) is { } known)
        {
            if (known.Message.MessageId == message.MessageId)
            {
                if (driven) fx.Add(AnswerRecipient(recipient, new SenderCopyStored(message.To, message.MessageId)));
            }
            else
            {
                fx.Add(AnswerRecipient(recipient, new RetractRecipientCopy(message.To, message.MessageId)));
            }
            SettlePending(known.Message, fx);
            return;
        }
        if (_writing.TryGetValue(key, out var write))
        {
            if (write.Stored.Message.MessageId != message.MessageId) write.Losers.Add((message, recipient));
            else if (driven) write.Waiters.Add(new Waiter(recipient, Answer.SenderCopy));
            return;
        }
        // The copy of this inbox's own pending send needs no storage lookup: the send started only once its key was
        // known to be free, and any copy written under the key since then would be in the window or being written.
        var ownPending = _sends.Find(message.ClientMessageId)?.Message.MessageId == message.MessageId;
        if (!ownPending && ParkedForStorage(key, new AdoptRecipientCopy(message, driven), recipient, message.ConversationId, fx)) return;

        // The recipient inbox that answered or drove hears of the sender's copy directly (no region hop).
        var waiters = new List<Waiter>();
        if (recipient is not null) waiters.Add(new Waiter(recipient, Answer.SenderCopy));
        if (_sends.Take(message.ClientMessageId) is { } pending)
        {
            if (SameContent(message, pending.Message))
                waiters.AddRange(pending.Waiters.Select(w => new Waiter(w, Answer.Sent)));
            else
                foreach (var w in pending.Waiters) fx.Add(new InboxEffect.Reply(w, Reused(message.ClientMessageId)));
        }
        WriteMessage(message, awaitingSenderCopy: false, waiters, fx);
    }

    /// <summary>A pending send whose key turned out to name <paramref name="message"/> ends with it (or is refused).</summary>
    private void SettlePending(ChatMessage message, List<InboxEffect> fx)
    {
        if (_sends.Take(message.ClientMessageId) is not { } pending) return;
        object answer = SameContent(message, pending.Message)
            ? new MessageSent(message)
            : Reused(message.ClientMessageId);
        foreach (var w in pending.Waiters) fx.Add(new InboxEffect.Reply(w, answer));
    }

    /// <summary>Idempotency: the same key names the same message only with the same recipient, body and files.</summary>
    private static bool SameContent(ChatMessage held, SendMessage send) =>
        SameContent(held, send.To, send.Body) && held.Attachments.SameFiles(send.Attachments);

    private static bool SameContent(ChatMessage held, ChatMessage asked) =>
        SameContent(held, asked.To, asked.Body) && held.Attachments.SameFiles(asked.Attachments);

    /// <summary>The recipient refused: unavailable is transient (retried until the deadline) unless the recipient cannot
    /// reach its storage (nothing was written; waiting for the deadline would only hold the client); anything else is final.</summary>
    private void RecipientRejected(Rejected rejected, List<InboxEffect> fx)
    {
        if (rejected.Code == ErrorCodes.Unavailable && !StorageUnavailable.Is(rejected) || rejected.ClientMessageId is not { } key) return;
        if (_sends.Take(key) is not { } pending) return;
        foreach (var w in pending.Waiters) fx.Add(new InboxEffect.Reply(w, rejected));
    }

    /// <summary>Directly to the inbox that asked when it waits, else through the region.</summary>
    private static InboxEffect AnswerRecipient(object? recipient, Messenger.Messages.Users.IWithUserId message) =>
        recipient is null ? new InboxEffect.ToInbox(message) : new InboxEffect.Reply(recipient, message);

    private void TickSends(DateTime now, List<InboxEffect> fx)
    {
        foreach (var expired in _sends.TakeExpired(now))
        {
            var answer = UnavailableFor(expired.Message.ClientMessageId, expired.Message.IsGroup
                ? "the group's members did not all store the message in time"
                : "the recipient's inbox did not answer in time");
            foreach (var w in expired.Waiters) fx.Add(new InboxEffect.Reply(w, answer));
        }
        foreach (var message in _sends.DueRetries(now))
            fx.Add(message.IsGroup
                ? new InboxEffect.ToGroup(Post(message))
                : new InboxEffect.ToInbox(new StoreRecipientCopy(message.To, message)));
    }
}
