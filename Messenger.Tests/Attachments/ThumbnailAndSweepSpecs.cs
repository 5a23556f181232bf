using System.Net;
using ImageMagick;
using ImageMagick.Drawing;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Attachments;

/// <summary>Thumbnails (made with Magick.NET, cached in the store) and the sweep of uploads no message carries.</summary>
public abstract class ThumbnailAndSweepSpecs(AttachmentServer fixture)
{
    private async Task<FileClient> UserAsync(Uri? on = null) => new(await ChatClient.SignUpAsync(on ?? fixture.BaseUrl));

    private static byte[] Picture(int width, int height, MagickFormat format, bool transparent = false)
    {
        using var image = new MagickImage(transparent ? MagickColors.Transparent : MagickColors.SteelBlue, (uint)width, (uint)height);
        if (transparent) new Drawables().FillColor(MagickColors.Red).Rectangle(0, 0, width / 2.0, height / 2.0).Draw(image);
        image.Format = format;
        return image.ToByteArray();
    }

    [Theory]
    [InlineData("image/png", 1000, 500, false)]
    [InlineData("image/jpeg", 400, 1000, false)]
    [InlineData("image/png", 640, 640, true)]
    [InlineData("image/gif", 200, 100, false)]
    public async Task A_picture_gets_a_cached_thumbnail_no_larger_than_320(string contentType, int width, int height, bool transparent)
    {
        using var alice = await UserAsync();
        var format = contentType switch { "image/png" => MagickFormat.Png, "image/jpeg" => MagickFormat.Jpeg, _ => MagickFormat.Gif };
        var id = await alice.UploadIdAsync(Picture(width, height, format, transparent), contentType);

        using var response = await alice.GetAsync($"/api/attachments/{id}/thumbnail");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var type = response.Content.Headers.ContentType!.MediaType;
        Assert.Contains(type, new[] { "image/jpeg", "image/webp" });
        using var thumbnail = new MagickImage(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(type == "image/jpeg" ? MagickFormat.Jpeg : MagickFormat.WebP, thumbnail.Format);
        Assert.True(Math.Max(thumbnail.Width, thumbnail.Height) <= 320, $"{thumbnail.Width}x{thumbnail.Height}");
        Assert.Equal(Math.Min(320, Math.Max(width, height)), (int)Math.Max(thumbnail.Width, thumbnail.Height));
        if (transparent) Assert.Equal("image/webp", type);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(1, await FileClient.CountAsync(fixture.Database,
            $"SELECT COUNT(*) FROM attachment_thumbnails WHERE attachment_id = '{Guid.Parse(id):N}'"));

        using var again = await alice.GetAsync($"/api/attachments/{id}/thumbnail");
        Assert.Equal(await response.Content.ReadAsByteArrayAsync(), await again.Content.ReadAsByteArrayAsync());
        using var cached = await alice.GetAsync($"/api/attachments/{id}/thumbnail", r => r.Headers.IfNoneMatch.Add(response.Headers.ETag!));
        Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);
    }

    [Fact]
    public async Task A_pdf_or_a_corrupt_picture_has_no_thumbnail_and_strangers_get_404()
    {
        using var alice = await UserAsync();
        using var carol = await UserAsync();
        var pdf = await alice.UploadIdAsync("%PDF-1.4 not really"u8.ToArray(), "application/pdf");
        var corrupt = await alice.UploadIdAsync(FileClient.RandomBytes(5000, 9), "image/png");
        var picture = await alice.UploadIdAsync(Picture(50, 50, MagickFormat.Png), "image/png");

        foreach (var (user, id) in new[] { (alice, pdf), (alice, corrupt), (alice, corrupt), (carol, picture) })
        {
            using var response = await user.GetAsync($"/api/attachments/{id}/thumbnail");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("not_found", (string?)(await response.Content.JsonAsync())["code"]);
        }
    }

    [Fact]
    public async Task Uploads_no_message_carries_are_swept_and_carried_ones_stay()
    {
        var (node, database) = await fixture.StartAnotherAsync(
            "--Messenger:Attachments:UncarriedLifetimeSeconds", "5", "--Messenger:Attachments:SweepEverySeconds", "1");
        using var alice = await UserAsync(node.BaseUrl);
        using var bob = await UserAsync(node.BaseUrl);
        var carried = await alice.UploadIdAsync(FileClient.RandomBytes(300_000, 4), "application/zip");
        Assert.Equal(HttpStatusCode.OK, (await alice.SendAsync(bob.UserId, "", [carried])).Status);
        // Uploaded after the carried one: once it is gone, the carried one was past the lifetime too.
        var loose = await alice.UploadIdAsync(FileClient.RandomBytes(300_000, 5), "application/zip");
        Assert.Equal(HttpStatusCode.OK, (await alice.DownloadAsync(loose)).StatusCode);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await StatusWhileSweptAsync(alice, loose) != HttpStatusCode.NotFound)
        {
            Assert.True(DateTime.UtcNow < deadline, "the uncarried upload was never swept");
            await Task.Delay(200);
        }

        Assert.Equal(0, await FileClient.CountAsync(database,
            $"SELECT COUNT(*) FROM attachment_chunks WHERE attachment_id = '{Guid.Parse(loose):N}'"));
        Assert.Equal(HttpStatusCode.OK, (await alice.DownloadAsync(carried)).StatusCode);
        using var forBob = await bob.DownloadAsync(carried);
        Assert.Equal(HttpStatusCode.OK, forBob.StatusCode);
        Assert.Equal(FileClient.RandomBytes(300_000, 4), await forBob.Content.ReadAsByteArrayAsync());
        // A swept upload cannot be sent any more.
        Assert.Equal(HttpStatusCode.NotFound, (await alice.SendAsync(bob.UserId, "", [loose])).Status);
    }

    /// <summary>A download the sweep overtakes mid-stream is cut off (its chunks are gone): that counts as not swept yet.</summary>
    private static async Task<HttpStatusCode?> StatusWhileSweptAsync(FileClient user, string id)
    {
        try
        {
            using var response = await user.DownloadAsync(id);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}

public sealed class SqliteThumbnailAndSweepSpecs(SqliteAttachmentServer fixture)
    : ThumbnailAndSweepSpecs(fixture), IClassFixture<SqliteAttachmentServer>;

public sealed class PostgresThumbnailAndSweepSpecs(PostgresAttachmentServer fixture)
    : ThumbnailAndSweepSpecs(fixture), IClassFixture<PostgresAttachmentServer>;
