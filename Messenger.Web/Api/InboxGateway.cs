using Akka.Actor;
using Messenger.Messages.Chat;
using Messenger.Messages.Telemetry;
using Messenger.Messages.Users;

namespace Messenger.Web.Api;

/// <summary>
/// The one way from the edge (HTTP endpoints and the WebSocket bridge) to a user's inbox. It validates, checks that
/// the caller is in the conversation, rate-limits and admits sends, asks the inbox and maps every failure to a contract
/// error; callers only render the typed answer as JSON or frames.
/// </summary>
public sealed class InboxGateway(
    InboxRegion region, SendRateLimiter limiter, SendAdmission admission, EdgeTimeouts timeouts, Attachments.SendAttachments files)
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(200);

    public const string NotDurableYet = "the message is not durable yet; retry with the same clientMessageId";

    public async Task<EdgeAnswer<ChatMessage>> SendAsync(string me, string? clientMessageId, string? to, string? body, CancellationToken ct,
        IReadOnlyList<string?>? attachmentIds = null)
    {
        var (send, code, message) = SendValidation.Validate(me, clientMessageId, to, body, attachmentIds);
        if (send is null) return new EdgeError(code!, message!);
        if (!limiter.TryAcquire(me, out var wait))
            return new EdgeError(ErrorCodes.RateLimited, "too many messages; slow down", wait);
        // Resolved (and marked carried) before the inbox hears of the send: see SendAttachments.
        var attachments = await files.ResolveAsync(me, attachmentIds, ct);
        if (attachments.Value is null) return attachments.Error!;
        if (!admission.TryEnter())
            return new EdgeError(ErrorCodes.Unavailable, SendAdmission.BusyMessage, admission.RetryAfter);

        var started = Environment.TickCount64;
        var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        var completed = false;
        try
        {
            var command = new UserCommands.SendMessage(me, send.Value.ClientMessageId, send.Value.To, send.Value.Body)
                { Attachments = attachments.Value };
            var answer = await AskWithRetryAsync(command, ct);
            completed = answer is not null;
            if (answer is UserReplies.MessageSent) MessengerMetrics.Acknowledged(startedAt);
            return answer switch
            {
                UserReplies.MessageSent sent => sent.Message,
                UserReplies.Rejected rejected => new EdgeError(rejected.Code, rejected.Reason),
                _ => new EdgeError(ErrorCodes.Unavailable, NotDurableYet),
            };
        }
        finally
        {
            admission.Exit(TimeSpan.FromMilliseconds(Environment.TickCount64 - started), completed);
        }
    }

    public async Task<EdgeAnswer<UserReplies.ConversationsPage>> ConversationsAsync(string me, int? offset, int? limit, CancellationToken ct)
    {
        if (offset is < 0) return Invalid("offset must be an integer ≥ 0");
        if (limit is < 1 or > 100) return Invalid("limit must be an integer from 1 to 100");
        return await AskAsync<UserReplies.ConversationsPage>(new UserQueries.GetConversations(me, offset ?? 0, limit ?? 20), ct);
    }

    public async Task<EdgeAnswer<UserReplies.HistoryPage>> HistoryAsync(string me, string conversationId, string? before, int? limit,
        CancellationToken ct)
    {
        if (Participant(conversationId, me) is { } denied) return denied;
        if (before is not null && !OrderFormat.IsValid(before)) return Invalid("before must be an order from a message");
        if (limit is < 1 or > 200) return Invalid("limit must be an integer from 1 to 200");
        return await AskAsync<UserReplies.HistoryPage>(new UserQueries.GetHistory(me, conversationId, before, limit ?? 50), ct);
    }

    public async Task<EdgeAnswer<UserReplies.ReadMarked>> MarkReadAsync(string me, string? conversationId, string? upTo, CancellationToken ct)
    {
        if (conversationId is null) return Invalid("conversationId is required");
        if (Participant(conversationId, me) is { } denied) return denied;
        if (!OrderFormat.IsValid(upTo)) return Invalid("upTo must be an order from a message");
        return await AskAsync<UserReplies.ReadMarked>(new UserCommands.MarkRead(me, conversationId, upTo!), ct);
    }

    /// <summary>Receipts: this device holds every inbox message with seq ≤ <paramref name="upTo"/>.</summary>
    public async Task<EdgeAnswer<ReceiptReplies.ReceivedMarked>> MarkReceivedAsync(string me, long? upTo, CancellationToken ct) =>
        upTo is not >= 0
            ? Invalid("upTo must be an integer ≥ 0")
            : await AskAsync<ReceiptReplies.ReceivedMarked>(new ReceiptCommands.MarkReceived(me, upTo.Value), ct);

    public async Task<EdgeAnswer<UserReplies.InboxPage>> InboxAfterAsync(string me, long? after, int? limit, CancellationToken ct)
    {
        if (after is < 0) return Invalid("after must be an integer ≥ 0");
        if (limit is < 1 or > 1000) return Invalid("limit must be an integer from 1 to 1000");
        return await AskAsync<UserReplies.InboxPage>(new UserQueries.GetInboxAfter(me, after ?? 0, limit ?? 500), ct);
    }

    /// <summary>Asks the inbox to push to <paramref name="device"/>; the inbox answers DeviceAttached to the device itself.</summary>
    public async Task AttachAsync(string me, IActorRef device, CancellationToken ct) =>
        (await region.GetAsync(ct)).Tell(new UserCommands.AttachDevice(me, device), device);

    /// <summary>Presence and typing: told to an inbox, answers (if any) go straight to <paramref name="replyTo"/>.</summary>
    public async Task TellAsync(IPresenceCommand message, IActorRef replyTo) =>
        (await region.GetAsync(CancellationToken.None)).Tell(message, replyTo);

    public async Task DetachAsync(string me, IActorRef device) =>
        (await region.GetAsync(CancellationToken.None)).Tell(new UserCommands.DetachDevice(me, device));

    /// <summary>404 for what is not a conversation id at all; 403 for someone else's conversation. A group's members
    /// are known to the caller's inbox (it holds the group's conversation, or answers 404).</summary>
    public static EdgeError? Participant(string conversationId, string me)
    {
        if (ConversationId.IsGroup(conversationId)) return null;
        if (!ConversationId.IsWellFormed(conversationId)) return new EdgeError(ErrorCodes.NotFound, "no such conversation");
        return ConversationId.PeerOf(conversationId, me) is null
            ? new EdgeError(ErrorCodes.Forbidden, "you are not in this conversation")
            : null;
    }

    private static EdgeError Invalid(string why) => new(ErrorCodes.InvalidRequest, why);

    private async Task<EdgeAnswer<T>> AskAsync<T>(object query, CancellationToken ct) where T : class
    {
        try
        {
            var answer = await (await region.GetAsync(ct)).Ask<object>(query, timeouts.Query, ct);
            return answer switch
            {
                T value => value,
                UserReplies.Rejected rejected => new EdgeError(rejected.Code, rejected.Reason),
                _ => new EdgeError(ErrorCodes.Unavailable, "the messenger could not answer in time; retry"),
            };
        }
        catch (Exception e) when (e is AskTimeoutException or OperationCanceledException)
        {
            return new EdgeError(ErrorCodes.Unavailable, "the messenger could not answer in time; retry");
        }
    }

    /// <summary>
    /// An inbox that stops mid-send (shard hand-over, a restart) answers <c>unavailable</c>; sends are idempotent, so
    /// the same command is asked again while the budget lasts and the client sees a hand-over as latency.
    /// MessageSent, Rejected, or null when the budget ran out without an answer.
    /// </summary>
    private async Task<object?> AskWithRetryAsync(UserCommands.SendMessage send, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeouts.Send;
        try
        {
            var inboxes = await region.GetAsync(ct);
            while (true)
            {
                var answer = await inboxes.Ask<object>(send, deadline - DateTime.UtcNow, ct);
                // Only a fast "unavailable" (an inbox stopped mid-send) is asked again, and only while the inbox's saga
                // deadline still ends before ours: one that took longer means overload or a dead node; an inbox that cannot
                // reach its storage is answered at once.
                if (answer is not UserReplies.Rejected { Code: ErrorCodes.Unavailable } rejected
                    || rejected.Reason == RejectionReasons.StorageUnavailable
                    || deadline - DateTime.UtcNow < timeouts.MinimumForRetry + RetryPause)
                    return answer;
                await Task.Delay(RetryPause, ct);
            }
        }
        catch (Exception e) when (e is AskTimeoutException or OperationCanceledException)
        {
            return null;
        }
    }
}
