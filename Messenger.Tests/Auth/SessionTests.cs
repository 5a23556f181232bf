using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Auth;

/// <summary>Sign-out, sign-out everywhere and password change over HTTP, and what they do to open WebSockets.</summary>
public sealed class SessionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Password = "correct horse";
    private const string Conversations = "/api/conversations";

    private Uri BaseUrl => fixture.BaseUrl;

    /// <summary>A user signed in on two devices: two tokens.</summary>
    private async Task<(string UserId, string Phone, string Laptop)> TwoDevicesAsync(AuthRequests auth)
    {
        using var phone = await ChatClient.SignUpAsync(BaseUrl);
        return (phone.UserId, phone.Token, await auth.TokenAsync(phone.UserId, Password));
    }

    [Fact]
    public async Task Sign_out_ends_this_token_only()
    {
        using var auth = new AuthRequests(BaseUrl);
        var (_, phone, laptop) = await TwoDevicesAsync(auth);
        using (var signOut = await auth.PostAsync("/api/auth/signout", null, phone))
            Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await auth.GetStatusAsync(Conversations, phone));
        Assert.Equal(HttpStatusCode.OK, await auth.GetStatusAsync(Conversations, laptop));
        using var again = await auth.PostAsync("/api/auth/signout", null, phone);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Equal("unauthorized", await AuthRequests.CodeOf(again));
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_every_token_and_a_new_sign_in_works()
    {
        using var auth = new AuthRequests(BaseUrl);
        var (userId, phone, laptop) = await TwoDevicesAsync(auth);
        using (var signOut = await auth.PostAsync("/api/auth/signout-all", null, laptop))
            Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await auth.GetStatusAsync(Conversations, phone));
        Assert.Equal(HttpStatusCode.Unauthorized, await auth.GetStatusAsync(Conversations, laptop));
        var fresh = await auth.TokenAsync(userId, Password);
        Assert.Equal(HttpStatusCode.OK, await auth.GetStatusAsync(Conversations, fresh));
    }

    [Fact]
    public async Task Password_change_keeps_this_device_signed_in_with_a_new_token_and_ends_every_other_token()
    {
        using var auth = new AuthRequests(BaseUrl);
        var (userId, phone, laptop) = await TwoDevicesAsync(auth);
        using var change = await auth.PostAsync("/api/auth/password",
            new { currentPassword = Password, newPassword = "battery staple" }, phone);
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        var body = (await change.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(userId, (string?)body["userId"]);
        var renewed = (string)body["token"]!;

        Assert.Equal(HttpStatusCode.OK, await auth.GetStatusAsync(Conversations, renewed));
        Assert.Equal(HttpStatusCode.Unauthorized, await auth.GetStatusAsync(Conversations, laptop));
        Assert.Equal(HttpStatusCode.Unauthorized, await auth.GetStatusAsync(Conversations, phone));
        using (var old = await auth.SignInAsync(userId, Password))
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        await auth.TokenAsync(userId, "battery staple");
    }

    [Fact]
    public async Task Password_change_with_a_wrong_current_password_is_401_and_a_bad_new_one_400_and_neither_changes_anything()
    {
        using var auth = new AuthRequests(BaseUrl);
        var (userId, phone, _) = await TwoDevicesAsync(auth);
        using (var wrong = await auth.PostAsync("/api/auth/password", new { currentPassword = "not it at all", newPassword = "battery staple" }, phone))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal("unauthorized", await AuthRequests.CodeOf(wrong));
        }
        foreach (var bad in new object[] { new { currentPassword = Password, newPassword = "short" }, new { currentPassword = Password }, new { newPassword = "battery staple" } })
        {
            using var refused = await auth.PostAsync("/api/auth/password", bad, phone);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("invalid_request", await AuthRequests.CodeOf(refused));
        }
        using (var notJson = await auth.PostAsync("/api/auth/password", null, phone))
            Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await auth.GetStatusAsync(Conversations, phone));
        await auth.TokenAsync(userId, Password);
    }

    [Fact]
    public async Task Session_endpoints_need_a_token()
    {
        using var auth = new AuthRequests(BaseUrl);
        foreach (var path in new[] { "/api/auth/signout", "/api/auth/signout-all", "/api/auth/password" })
        {
            using var response = await auth.PostAsync(path, new { currentPassword = Password, newPassword = "battery staple" }, null);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_signed_out_token_gets_an_unauthorized_frame_and_close_1008_while_other_devices_stay_connected()
    {
        using var auth = new AuthRequests(BaseUrl);
        var (_, phone, laptop) = await TwoDevicesAsync(auth);
        await using var phoneSocket = await ChatSocket.ConnectAsync(BaseUrl, phone);
        await using var laptopSocket = await ChatSocket.ConnectAsync(BaseUrl, laptop);
        await phoneSocket.SendJsonAsync(new { type = "ping" });
        await phoneSocket.WaitForTypeAsync("pong");

        using (var signOut = await auth.PostAsync("/api/auth/signout", null, phone))
            Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);

        var error = await phoneSocket.WaitForTypeAsync("error");
        Assert.Equal("unauthorized", (string?)error["code"]);
        await phoneSocket.WaitClosedAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, phoneSocket.CloseStatus);
        await laptopSocket.SendJsonAsync(new { type = "ping" });
        await laptopSocket.WaitForTypeAsync("pong");
        await Assert.ThrowsAsync<WebSocketException>(() => ChatSocket.ConnectAsync(BaseUrl, phone));
    }

    [Fact]
    public async Task After_a_password_change_every_socket_of_the_old_tokens_closes_and_the_device_reconnects_with_its_new_token()
    {
        using var auth = new AuthRequests(BaseUrl);
        var (_, phone, laptop) = await TwoDevicesAsync(auth);
        await using var phoneSocket = await ChatSocket.ConnectAsync(BaseUrl, phone);
        await using var laptopSocket = await ChatSocket.ConnectAsync(BaseUrl, laptop);
        await laptopSocket.SendJsonAsync(new { type = "ping" });
        await laptopSocket.WaitForTypeAsync("pong");

        using var change = await auth.PostAsync("/api/auth/password", new { currentPassword = Password, newPassword = "battery staple" }, phone);
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        var renewed = (string)(await change.Content.ReadFromJsonAsync<JsonObject>())!["token"]!;

        foreach (var socket in new[] { phoneSocket, laptopSocket })
        {
            Assert.Equal("unauthorized", (string?)(await socket.WaitForTypeAsync("error"))["code"]);
            await socket.WaitClosedAsync();
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
        }
        await using var reconnected = await ChatSocket.ConnectAsync(BaseUrl, renewed);
        await reconnected.SendJsonAsync(new { type = "ping" });
        await reconnected.WaitForTypeAsync("pong");
    }
}
