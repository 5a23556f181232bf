using Akka.Actor;
using Messenger.Messages.Accounts;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using Messenger.Web.Api;

namespace Messenger.Web.Auth;

/// <summary>
/// Sign-up and sign-in. Passwords are hashed here (PBKDF2 via ASP.NET Core Identity), off the actors. In front of
/// every hash: the per-client limit (rate limiter policy), for sign-in the account's guessing limit (the account
/// entity admits or throttles the attempt), then a fair, bounded queue for the hashing slots.
/// </summary>
public static class AuthEndpoints
{
    public sealed record Credentials(string? Username, string? Password);

    internal static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/signup", SignUp).RequireRateLimiting(AuthSetup.SignInPolicy)
            .Describe("SignUp", "Create an account; answers a token", "auth")
            .Takes<Credentials>().Answers<OpenApiShapes.SignedIn>(201).Fails(ErrorCodes.InvalidRequest, ErrorCodes.UsernameTaken);
        app.MapPost("/api/auth/signin", SignIn).RequireRateLimiting(AuthSetup.SignInPolicy)
            .Describe("SignIn", "Sign in; answers a token", "auth")
            .Takes<Credentials>().Answers<OpenApiShapes.SignedIn>().Fails(ErrorCodes.Unauthorized);
        app.MapGet("/api/users/{username}", FindUser).RequireAuthorization()
            .Describe("FindUser", "Whether a user exists (user ids are normalised usernames)", "users")
            .Answers<OpenApiShapes.UserFound>().Fails(ErrorCodes.NotFound);
        app.MapSessionEndpoints();
    }

    private static async Task<IResult> SignUp(HttpRequest request, AccountRegion accounts,
        InboxRegion inboxes, TokenIssuer tokens, PasswordHashing passwords, ClientAddress clients)
    {
        var (body, error) = await RequestReading.ReadJsonAsync<Credentials>(request);
        if (error is not null) return error;
        var userId = UserId.TryParse(body!.Username);
        if (userId is null)
            return ApiResults.Error(ErrorCodes.InvalidRequest, "username must be 3–32 characters of a-z, 0-9, '_', '.', '-'");
        if (!IsAcceptablePassword(body.Password))
            return ApiResults.Error(ErrorCodes.InvalidRequest, "password must be 8–256 characters");

        try
        {
            var ct = request.HttpContext.RequestAborted;
            var (hash, refused) = await passwords.HashAsync(clients.Of(request.HttpContext), userId, body.Password!, ct);
            if (hash is null) return SignInAnswers.NotHashed(refused);
            var answer = await (await accounts.GetAsync(ct)).Ask<object>(new AccountCommands.Register(userId, hash), AskTimeout, ct);
            if (answer is AccountReplies.UsernameTaken)
                return ApiResults.Error(ErrorCodes.UsernameTaken, "that username is taken");
            await (await inboxes.GetAsync(ct)).Ask<UserReplies.InboxReady>(new UserCommands.OpenInbox(userId), AskTimeout, ct);
            return Results.Json(new { userId, token = tokens.Issue(userId, 0) }, statusCode: 201);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return ApiResults.Unavailable();
        }
    }

    private static async Task<IResult> SignIn(HttpRequest request, AccountRegion accounts,
        InboxRegion inboxes, TokenIssuer tokens, PasswordHashing passwords, ClientAddress clients,
        SessionCache sessions)
    {
        var (body, error) = await RequestReading.ReadJsonAsync<Credentials>(request);
        if (error is not null) return error;
        var userId = UserId.TryParse(body!.Username);
        if (userId is null || string.IsNullOrEmpty(body.Password) || body.Password.Length > Limits.MaxPasswordLength)
            return SignInAnswers.WrongPassword();
        try
        {
            var ct = request.HttpContext.RequestAborted;
            var region = await accounts.GetAsync(ct);
            var checkedPassword = await CheckPasswordAsync(region, passwords, clients.Of(request.HttpContext), userId, body.Password, ct);
            if (checkedPassword is not null) return checkedPassword;
            var current = await region.Ask<AccountReplies.Sessions>(new AccountCommands.SignInSucceeded(userId), AskTimeout, ct);
            sessions.Apply(current);
            // Heals a sign-up that registered the account but did not get to open the inbox.
            await (await inboxes.GetAsync(ct)).Ask<UserReplies.InboxReady>(new UserCommands.OpenInbox(userId), AskTimeout, ct);
            return Results.Json(new { userId, token = tokens.Issue(userId, current.Generation) });
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return ApiResults.Unavailable();
        }
    }

    /// <summary>
    /// Null when <paramref name="password"/> is the account's; otherwise the answer to give (429 throttled or busy,
    /// 401 wrong). The account entity admits the attempt before anything is hashed.
    /// </summary>
    internal static async Task<IResult?> CheckPasswordAsync(IActorRef accounts, PasswordHashing passwords, string client,
        string userId, string password, CancellationToken ct)
    {
        var admission = await accounts.Ask<object>(new AccountCommands.BeginSignIn(userId), AskTimeout, ct);
        if (admission is AccountReplies.SignInThrottled throttled)
            return SignInAnswers.TooMany(throttled.RetryAfter, "too many failed sign-ins for this account; retry later");
        if (admission is not AccountReplies.SignInAdmitted { PasswordHash: { } hash }) return SignInAnswers.WrongPassword();
        var (matches, refused) = await passwords.VerifyAsync(client, userId, hash, password, ct);
        if (refused == Refusal.None) return matches ? null : SignInAnswers.WrongPassword();
        // Not checked: the attempt must not count against the account.
        accounts.Tell(new AccountCommands.SignInUnchecked(userId));
        return SignInAnswers.NotHashed(refused);
    }

    internal static bool IsAcceptablePassword(string? password) =>
        password is not null && password.Length >= Limits.MinPasswordLength && password.Length <= Limits.MaxPasswordLength;

    private static async Task<IResult> FindUser(string username, HttpContext context, AccountRegion accounts)
    {
        var userId = UserId.TryParse(username);
        if (userId is null) return ApiResults.Error(ErrorCodes.NotFound, "no such user");
        try
        {
            var ct = context.RequestAborted;
            var credentials = await (await accounts.GetAsync(ct))
                .Ask<AccountReplies.Credentials>(new AccountCommands.GetCredentials(userId), AskTimeout, ct);
            return credentials.PasswordHash is null
                ? ApiResults.Error(ErrorCodes.NotFound, "no such user")
                : Results.Json(new { userId });
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return ApiResults.Unavailable();
        }
    }
}
