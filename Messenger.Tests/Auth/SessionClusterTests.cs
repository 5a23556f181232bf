using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Messenger.Tests.Cluster;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Auth;

/// <summary>
/// Revocation across a real multi-process cluster (a headless shard host and two web-only nodes on PostgreSQL):
/// a token signed out through one web node stops working on the other, which had it cached, over HTTP and on a
/// WebSocket open there. The time each took is written to the test output.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SessionClusterTests(PostgresServer postgres, ITestOutputHelper output)
{
    private const string Password = "correct horse";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_token_signed_out_on_one_web_node_is_refused_by_the_other_and_its_socket_there_closes()
    {
        await using var cluster = await ClusterHarness.CreateAsync(postgres, output, "sessions");
        try
        {
            var (webA, webB) = await cluster.StartTwoWebNodesAsync("shard");

            using var onA = new AuthRequests(webA.BaseUrl!);
            using var onB = new AuthRequests(webB.BaseUrl!);
            using var phone = await ChatClient.SignUpAsync(webA.BaseUrl!);
            var laptop = await onB.TokenAsync(phone.UserId, Password);
            // web-b learns both tokens' sessions now (its cache is filled), so only a published change can end them.
            Assert.Equal(HttpStatusCode.OK, await onB.GetStatusAsync("/api/conversations", phone.Token));
            await using var socketOnB = await ChatSocket.ConnectAsync(webB.BaseUrl!, phone.Token);
            await socketOnB.SendJsonAsync(new { type = "ping" });
            await socketOnB.WaitForTypeAsync("pong");

            using (var signOut = await onA.PostAsync("/api/auth/signout", null, phone.Token))
                Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
            var since = Stopwatch.StartNew();
            var refusedAfter = await UntilAsync(async () => await onB.GetStatusAsync("/api/conversations", phone.Token) == HttpStatusCode.Unauthorized, since);
            Assert.Equal("unauthorized", (string?)(await socketOnB.WaitForTypeAsync("error", Bound))["code"]);
            await socketOnB.WaitClosedAsync(Bound);
            var closedAfter = since.Elapsed;
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, socketOnB.CloseStatus);
            Assert.Equal(HttpStatusCode.OK, await onB.GetStatusAsync("/api/conversations", laptop));

            // The other way round: a password change through web-b ends the laptop's old token on web-a too.
            Assert.Equal(HttpStatusCode.OK, await onA.GetStatusAsync("/api/conversations", laptop));
            using var change = await onB.PostAsync("/api/auth/password", new { currentPassword = Password, newPassword = "battery staple" }, laptop);
            Assert.Equal(HttpStatusCode.OK, change.StatusCode);
            var renewed = (string)(await change.Content.ReadFromJsonAsync<JsonObject>())!["token"]!;
            since.Restart();
            var changedAfter = await UntilAsync(async () => await onA.GetStatusAsync("/api/conversations", laptop) == HttpStatusCode.Unauthorized, since);
            Assert.Equal(HttpStatusCode.OK, await onA.GetStatusAsync("/api/conversations", renewed));

            output.WriteLine($"sign-out on web-a: refused on web-b after {refusedAfter.TotalMilliseconds:F0} ms, its socket there closed after " +
                             $"{closedAfter.TotalMilliseconds:F0} ms; password change on web-b: old token refused on web-a after {changedAfter.TotalMilliseconds:F0} ms");
        }
        catch
        {
            cluster.DumpLogs();
            throw;
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds (within a generous bound); returns the time it took.</summary>
    private static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition, Stopwatch since)
    {
        while (!await condition())
        {
            Assert.True(since.Elapsed < Bound, $"not within {Bound}");
            await Task.Delay(20);
        }
        return since.Elapsed;
    }
}
