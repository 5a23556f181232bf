using Akka.Actor;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;

namespace Messenger.Web.Api;

/// <summary>
/// A send from the edge. An inbox that stops mid-send (shard hand-over on a graceful leave, a restart) answers
/// <c>unavailable</c>; sends are idempotent, so the edge asks again with the same command while its time budget
/// lasts, and the client sees the hand-over as latency instead of an error.
/// </summary>
public static class EdgeSend
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(200);
    // Only a fast "unavailable" (an inbox stopped mid-send) is retried; one that took the saga's whole deadline means
    // overload or a dead node, where a retry would only add load.
    private static readonly TimeSpan MinimumForRetry = TimeSpan.FromSeconds(3);

    /// <summary>MessageSent, Rejected, or null when the budget ran out without an answer.</summary>
    public static async Task<object?> AskAsync(IActorRef inboxes, UserCommands.SendMessage send, TimeSpan budget,
        SendAdmission admission, CancellationToken ct)
    {
        if (!admission.TryEnter())
            return new UserReplies.Rejected(ErrorCodes.Unavailable, SendAdmission.BusyMessage, send.ClientMessageId);
        try
        {
            return await AskWithRetryAsync(inboxes, send, budget, ct);
        }
        finally
        {
            admission.Exit();
        }
    }

    private static async Task<object?> AskWithRetryAsync(IActorRef inboxes, UserCommands.SendMessage send, TimeSpan budget, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + budget;
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            object? answer;
            try
            {
                answer = await inboxes.Ask<object>(send, remaining, ct);
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException or OperationCanceledException)
            {
                return null;
            }
            if (answer is not UserReplies.Rejected { Code: ErrorCodes.Unavailable } || deadline - DateTime.UtcNow < MinimumForRetry)
                return answer;
            await Task.Delay(RetryPause, ct);
        }
    }
}
