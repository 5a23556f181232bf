using Messenger.Messages.Chat;
using Messenger.Web.Api;

namespace Messenger.Web.Auth;

/// <summary>The answers sign-in limits give, in the contract's shapes.</summary>
public static class SignInAnswers
{
    /// <summary><c>429 rate_limited</c> with <c>Retry-After</c> in whole seconds (rounded up, at least 1).</summary>
    public static IResult TooMany(TimeSpan retryAfter, string message) => new WithRetryAfter(
        (int)Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds)), ApiResults.Error(ErrorCodes.RateLimited, message));

    public static IResult Busy() => TooMany(TimeSpan.FromSeconds(1), "password checks are busy; retry in a moment");

    public static IResult WrongPassword() => ApiResults.Error(ErrorCodes.Unauthorized, "wrong username or password");

    private sealed class WithRetryAfter(int seconds, IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(context);
        }
    }
}
