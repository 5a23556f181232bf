using System.Net;
using Messenger.Tests.Browser;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Messenger.Tests.Auth;

/// <summary>The browser client's sign out, sign out everywhere and change password, against the real server.</summary>
[Collection("browser")]
public sealed class SessionBrowserTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private static Task<string> TokenOf(BrowserUser user) =>
        user.Page.EvaluateAsync<string>("() => JSON.parse(sessionStorage.getItem('messenger.session')).token");

    [Fact]
    public async Task Changing_the_password_keeps_this_browser_online_and_signs_the_other_device_out_then_sign_out_everywhere()
    {
        var name = BrowserFixture.NewUsername("pw");
        await using var laptop = await BrowserUser.OpenAsync(fixture, name, output);
        await using var phone = await BrowserUser.OpenAsync(fixture, name, output);
        await laptop.SignUpAsync();
        await phone.SignInAsync();
        var oldToken = await TokenOf(laptop);

        await laptop.Page.GetByTestId("account-menu").Locator("summary").ClickAsync();
        await laptop.Page.GetByTestId("password-button").ClickAsync();
        await laptop.Page.GetByTestId("password-current").FillAsync(BrowserUser.Password);
        await laptop.Page.GetByTestId("password-new").FillAsync("a brand new passphrase");
        await laptop.Page.GetByTestId("password-submit").ClickAsync();

        await Expect(laptop.Page.GetByTestId("password-dialog")).ToBeHiddenAsync();
        await Expect(phone.Page.GetByTestId("auth-view")).ToBeVisibleAsync();
        await laptop.ExpectOnlineAsync();
        Assert.NotEqual(oldToken, await TokenOf(laptop));
        await laptop.Page.WaitForFunctionAsync("() => window.messengerDebug.connected");
        await Screenshots.SaveAsync(laptop.Page, "20-password-changed");

        await laptop.Page.GetByTestId("account-menu").Locator("summary").ClickAsync();
        await laptop.Page.GetByTestId("signout-all-button").ClickAsync();
        await Expect(laptop.Page.GetByTestId("auth-view")).ToBeVisibleAsync();

        await phone.Page.GetByTestId("auth-username").FillAsync(name);
        await phone.Page.GetByTestId("auth-password").FillAsync("a brand new passphrase");
        await phone.Page.GetByTestId("signin-button").ClickAsync();
        await phone.ExpectOnlineAsync();
    }

    [Fact]
    public async Task A_wrong_current_password_is_shown_in_the_dialog_and_changes_nothing()
    {
        await using var user = await BrowserUser.OpenAsync(fixture, BrowserFixture.NewUsername("pw"), output);
        await user.SignUpAsync();
        var token = await TokenOf(user);
        await user.Page.GetByTestId("account-menu").Locator("summary").ClickAsync();
        await user.Page.GetByTestId("password-button").ClickAsync();
        await user.Page.GetByTestId("password-current").FillAsync("not my password");
        await user.Page.GetByTestId("password-new").FillAsync("a brand new passphrase");
        await user.Page.GetByTestId("password-submit").ClickAsync();
        await Expect(user.Page.GetByTestId("password-error")).ToHaveTextAsync("The current password is wrong.");
        await user.Page.GetByTestId("password-cancel").ClickAsync();
        await user.ExpectOnlineAsync();
        Assert.Equal(token, await TokenOf(user));
    }

    [Fact]
    public async Task Sign_out_ends_the_token_on_the_server_too()
    {
        await using var user = await BrowserUser.OpenAsync(fixture, BrowserFixture.NewUsername("so"), output);
        await user.SignUpAsync();
        var token = await TokenOf(user);
        await user.Page.GetByTestId("signout-button").ClickAsync();
        await Expect(user.Page.GetByTestId("auth-view")).ToBeVisibleAsync();

        using var auth = new AuthRequests(fixture.Server.BaseUrl);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await auth.GetStatusAsync("/api/conversations", token) != HttpStatusCode.Unauthorized)
        {
            Assert.True(DateTime.UtcNow < deadline, "the signed-out token still works");
            await Task.Delay(100);
        }
    }
}
