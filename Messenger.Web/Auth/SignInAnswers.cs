using Messenger.Messages.Chat;
using Messenger.Web.Api;

namespace Messenger.Web.Auth;

/// <summary>The answers sign-in limits give, in the contract's shapes.</summary>
public static class SignInAnswers
{
    /// <summary>
    /// <c>429 rate_limited</c> with <c>Retry-After</c> in whole seconds (rounded up, at least 1), given after a short
    /// pause (Messenger:SignIn:RejectPauseSeconds, never longer than the wait itself): a client over its limit that
    /// asks again the moment it is answered is answered at about the pace it should have asked, instead of keeping
    /// the node's CPU busy with refusals while other users sign in.
    /// </summary>
    public static IResult TooMany(TimeSpan retryAfter, string message) => new WithRetryAfter(
        retryAfter, ApiResults.Error(ErrorCodes.RateLimited, message), pause: true);

    /// <summary>No hashing slot in time: <c>429</c> at once (the client did nothing wrong).</summary>
    public static IResult Busy() => new WithRetryAfter(
        TimeSpan.FromSeconds(1), ApiResults.Error(ErrorCodes.RateLimited, "password checks are busy; retry in a moment"), pause: false);

    /// <summary>A password that was not hashed: at once when the node is busy; paused when the client has its share waiting.</summary>
    public static IResult NotHashed(Refusal refused) => refused == Refusal.ClientQueueFull
        ? TooMany(TimeSpan.FromSeconds(1), "this address has too many password checks waiting; retry in a moment")
        : Busy();

    public static IResult WrongPassword() => ApiResults.Error(ErrorCodes.Unauthorized, "wrong username or password");

    private sealed class WithRetryAfter(TimeSpan retryAfter, IResult inner, bool pause) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            if (pause)
            {
                var configured = TimeSpan.FromSeconds(context.RequestServices.GetRequiredService<SignInSettings>().RejectPauseSeconds);
                var wait = retryAfter < configured ? retryAfter : configured;
                if (wait > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(wait, context.RequestAborted);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
            var seconds = (int)Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await inner.ExecuteAsync(context);
        }
    }
}
