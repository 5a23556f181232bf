using System.Net;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Auth;

/// <summary>Sign-outs are durable: the account entity keeps them in its journal, so a restart brings no token back.</summary>
public sealed class SessionRestartTests
{
    [Fact]
    public async Task Signed_out_tokens_stay_refused_after_a_restart_and_the_rest_keep_working()
    {
        var dataDir = TempDirs.Create("messenger-sessions");
        try
        {
            string userId, signedOut, everywhereBefore, kept;
            await using (var server = await MessengerServer.StartAsync(dataDir))
            {
                using var auth = new AuthRequests(server.BaseUrl);
                using var user = await ChatClient.SignUpAsync(server.BaseUrl);
                userId = user.UserId;
                everywhereBefore = user.Token;
                using (var all = await auth.PostAsync("/api/auth/signout-all", null, user.Token))
                    Assert.Equal(HttpStatusCode.NoContent, all.StatusCode);
                signedOut = await auth.TokenAsync(userId, "correct horse");
                kept = await auth.TokenAsync(userId, "correct horse");
                using (var one = await auth.PostAsync("/api/auth/signout", null, signedOut))
                    Assert.Equal(HttpStatusCode.NoContent, one.StatusCode);
                await server.StopAsync();
            }
            await using (var restarted = await MessengerServer.StartAsync(dataDir))
            {
                using var auth = new AuthRequests(restarted.BaseUrl);
                Assert.Equal(HttpStatusCode.Unauthorized, await auth.GetStatusAsync("/api/conversations", everywhereBefore));
                Assert.Equal(HttpStatusCode.Unauthorized, await auth.GetStatusAsync("/api/conversations", signedOut));
                Assert.Equal(HttpStatusCode.OK, await auth.GetStatusAsync("/api/conversations", kept));
            }
        }
        finally
        {
            TempDirs.TryDelete(dataDir);
        }
    }
}
