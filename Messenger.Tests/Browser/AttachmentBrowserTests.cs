using System.Text;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Messenger.Tests.Browser;

/// <summary>Attachments (API v1) from the browser: button, drag and drop, paste, progress, inline images, file chips.</summary>
[Collection("browser")]
public sealed class AttachmentBrowserTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private const string NotesText = "hello notes, from a dropped file";

    [Fact]
    public async Task Files_attached_by_button_drop_and_paste_upload_with_progress_and_send_without_text()
    {
        var aliceName = BrowserFixture.NewUsername("att_a");
        var bobName = BrowserFixture.NewUsername("att_b");
        await using var alice = await BrowserUser.OpenAsync(fixture, aliceName, output);
        await using var bob = await BrowserUser.OpenAsync(fixture, bobName, output);
        await alice.SignUpAsync();
        await bob.SignUpAsync();
        await alice.StartConversationAsync(bobName);

        // A real 640×480 PNG, drawn by the browser.
        var png = Convert.FromBase64String(await alice.Page.EvaluateAsync<string>(@"() => {
            const c = document.createElement('canvas'); c.width = 640; c.height = 480;
            const g = c.getContext('2d');
            const grad = g.createLinearGradient(0, 0, 640, 480); grad.addColorStop(0, '#0b6e4f'); grad.addColorStop(1, '#f5c542');
            g.fillStyle = grad; g.fillRect(0, 0, 640, 480);
            g.fillStyle = '#fff'; g.font = 'bold 64px sans-serif'; g.fillText('Messenger', 150, 260);
            return c.toDataURL('image/png').split(',')[1];
        }"));

        // Hold the upload on its way to the server: the tray shows it uploading, with a progress bar, and send waits.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var uploads = new System.Text.RegularExpressions.Regex(@"/api/attachments\?name=");
        await alice.Page.RouteAsync(uploads, async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });
        await alice.Page.GetByTestId("attach-input").SetInputFilesAsync(new FilePayload { Name = "sunset.png", MimeType = "image/png", Buffer = png });
        var tray = alice.Page.GetByTestId("pending-attachment");
        await Expect(tray).ToHaveCountAsync(1);
        await Expect(tray.First).ToHaveAttributeAsync("data-state", "uploading");
        await Expect(tray.First.GetByTestId("upload-progress")).ToBeVisibleAsync();
        await Expect(alice.Page.GetByTestId("send-button")).ToBeDisabledAsync();
        await Screenshots.SaveAsync(alice.Page, "15-upload-progress");
        release.SetResult();
        await Expect(tray.First).ToHaveAttributeAsync("data-state", "done");
        await Expect(tray.First.GetByTestId("upload-progress")).ToBeHiddenAsync();
        await alice.Page.UnrouteAsync(uploads);

        // Drag and drop a text file onto the conversation.
        var dropped = await alice.Page.EvaluateHandleAsync(
            $"() => {{ const dt = new DataTransfer(); dt.items.add(new File([{System.Text.Json.JsonSerializer.Serialize(NotesText)}], 'notes.txt', {{ type: 'text/plain' }})); return dt; }}");
        var pane = alice.Page.GetByTestId("message-scroller");
        await pane.DispatchEventAsync("dragenter", new Dictionary<string, object> { ["dataTransfer"] = dropped });
        await Expect(alice.Page.GetByTestId("drop-overlay")).ToBeVisibleAsync();
        await pane.DispatchEventAsync("drop", new Dictionary<string, object> { ["dataTransfer"] = dropped });
        await Expect(alice.Page.GetByTestId("drop-overlay")).ToBeHiddenAsync();
        await Expect(tray).ToHaveCountAsync(2);

        // Paste a PDF into the message box.
        await alice.MessageInput.EvaluateAsync(@"el => {
            const dt = new DataTransfer();
            dt.items.add(new File([new TextEncoder().encode('%PDF-1.4\n% a tiny test file\n')], 'report.pdf', { type: 'application/pdf' }));
            el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
        }");
        await Expect(tray).ToHaveCountAsync(3);
        for (var i = 0; i < 3; i++) await Expect(tray.Nth(i)).ToHaveAttributeAsync("data-state", "done");
        await Expect(alice.Page.GetByTestId("send-button")).ToBeEnabledAsync();

        // No text at all: the attachments alone are the message.
        await alice.MessageInput.FocusAsync();
        await alice.MessageInput.PressAsync("Enter");
        await Expect(tray).ToHaveCountAsync(0);
        var mine = alice.Messages.Last;
        await Expect(mine).ToHaveAttributeAsync("data-status", "sent");
        await Expect(mine.GetByTestId("message-image")).ToHaveCountAsync(1);
        await Expect(mine.GetByTestId("message-file")).ToHaveCountAsync(2);
        await Expect(mine.GetByTestId("message-body")).ToBeHiddenAsync();

        // Bob: the image inline from its thumbnail (longest side ≤ 320), the files as chips with name and size.
        var preview = bob.Conversation(aliceName).GetByTestId("conversation-last-message");
        await Expect(preview).ToHaveTextAsync("3 files");
        await Expect(preview.Locator(".conv-last-icon[data-icon='clip']")).ToBeVisibleAsync();
        await bob.OpenConversationAsync(aliceName);
        var theirs = bob.Messages.Last;
        var image = theirs.GetByTestId("message-image");
        await Expect(image).ToBeVisibleAsync();
        await Expect(image).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("/thumbnail\\?access_token="));
        var thumbWidth = await WaitForNaturalWidthAsync(image);
        Assert.InRange(thumbWidth, 1, 320);
        var files = theirs.GetByTestId("message-file");
        await Expect(files.GetByTestId("file-name")).ToHaveTextAsync(new[] { "notes.txt", "report.pdf" });
        await Expect(files.First.GetByTestId("file-size")).ToHaveTextAsync($"{Encoding.UTF8.GetByteCount(NotesText)} B");
        await Screenshots.SaveAsync(bob.Page, "16-attachments");

        // Full size on click.
        await theirs.GetByTestId("message-image-button").ClickAsync();
        var lightbox = bob.Page.GetByTestId("lightbox");
        await Expect(lightbox).ToBeVisibleAsync();
        Assert.Equal(640, await WaitForNaturalWidthAsync(bob.Page.GetByTestId("lightbox-image")));
        await Screenshots.SaveAsync(bob.Page, "17-image-full-size");
        await bob.Page.GetByTestId("lightbox-close").ClickAsync();
        await Expect(lightbox).ToBeHiddenAsync();

        // The chip downloads the file's bytes.
        var download = await bob.Page.RunAndWaitForDownloadAsync(() => files.First.ClickAsync());
        Assert.Equal("notes.txt", download.SuggestedFilename);
        var path = await download.PathAsync();
        Assert.Equal(NotesText, await File.ReadAllTextAsync(path!));
    }

    /// <summary>The image's decoded width once it has loaded (0 until then).</summary>
    private static async Task<int> WaitForNaturalWidthAsync(ILocator image)
    {
        await Expect(image).ToHaveJSPropertyAsync("complete", true);
        await image.Page.WaitForFunctionAsync("el => el.complete && el.naturalWidth > 0", await image.ElementHandleAsync());
        return await image.EvaluateAsync<int>("el => el.naturalWidth");
    }
}
