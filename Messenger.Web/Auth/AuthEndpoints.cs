using Akka.Actor;
using Akka.Hosting;
using Messenger.Messages.Accounts;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;
using Messenger.Node.Hosting;
using Messenger.Web.Api;

namespace Messenger.Web.Auth;

/// <summary>Sign-up and sign-in. Passwords are hashed here (PBKDF2 via ASP.NET Core Identity), off the actors.</summary>
public static class AuthEndpoints
{
    public sealed record Credentials(string? Username, string? Password);

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/signup", SignUp);
        app.MapPost("/api/auth/signin", SignIn);
        app.MapGet("/api/users/{username}", FindUser).RequireAuthorization();
    }

    private static async Task<IResult> SignUp(HttpRequest request, IRequiredActor<UserAccounts> accounts,
        IRequiredActor<UserInboxes> inboxes, TokenIssuer tokens, PasswordHashing passwords)
    {
        var (body, error) = await RequestReading.ReadJsonAsync<Credentials>(request);
        if (error is not null) return error;
        var userId = UserId.TryParse(body!.Username);
        if (userId is null)
            return ApiResults.Error(ErrorCodes.InvalidRequest, "username must be 3–32 characters of a-z, 0-9, '_', '.', '-'");
        if (body.Password is null || body.Password.Length < Limits.MinPasswordLength || body.Password.Length > Limits.MaxPasswordLength)
            return ApiResults.Error(ErrorCodes.InvalidRequest, "password must be 8–256 characters");

        try
        {
            var ct = request.HttpContext.RequestAborted;
            var hash = await passwords.HashAsync(userId, body.Password, ct);
            var answer = await (await accounts.GetAsync(ct)).Ask<object>(new AccountCommands.Register(userId, hash), AskTimeout, ct);
            if (answer is AccountReplies.UsernameTaken)
                return ApiResults.Error(ErrorCodes.UsernameTaken, "that username is taken");
            await (await inboxes.GetAsync(ct)).Ask<UserReplies.InboxReady>(new UserCommands.OpenInbox(userId), AskTimeout, ct);
            return Results.Json(new { userId, token = tokens.Issue(userId) }, statusCode: 201);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return ApiResults.Unavailable();
        }
    }

    private static async Task<IResult> SignIn(HttpRequest request, IRequiredActor<UserAccounts> accounts,
        IRequiredActor<UserInboxes> inboxes, TokenIssuer tokens, PasswordHashing passwords)
    {
        var (body, error) = await RequestReading.ReadJsonAsync<Credentials>(request);
        if (error is not null) return error;
        var userId = UserId.TryParse(body!.Username);
        if (userId is null || string.IsNullOrEmpty(body.Password) || body.Password.Length > Limits.MaxPasswordLength)
            return ApiResults.Error(ErrorCodes.Unauthorized, "wrong username or password");
        try
        {
            var ct = request.HttpContext.RequestAborted;
            var credentials = await (await accounts.GetAsync(ct))
                .Ask<AccountReplies.Credentials>(new AccountCommands.GetCredentials(userId), AskTimeout, ct);
            if (credentials.PasswordHash is null || !await passwords.VerifyAsync(userId, credentials.PasswordHash, body.Password, ct))
                return ApiResults.Error(ErrorCodes.Unauthorized, "wrong username or password");
            // Heals a sign-up that registered the account but did not get to open the inbox.
            await (await inboxes.GetAsync(ct)).Ask<UserReplies.InboxReady>(new UserCommands.OpenInbox(userId), AskTimeout, ct);
            return Results.Json(new { userId, token = tokens.Issue(userId) });
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return ApiResults.Unavailable();
        }
    }

    private static async Task<IResult> FindUser(string username, HttpContext context, IRequiredActor<UserAccounts> accounts)
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
