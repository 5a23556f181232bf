using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Attachments;

/// <summary>
/// Uploads and downloads through the HTTP API, on the store of each journal database: chunking and hash, Range,
/// ETag and 304, headers per type, and the limits (413 with nothing stored, empty 400, names).
/// </summary>
public abstract class AttachmentStoreSpecs(AttachmentServer fixture)
{
    private const int Chunk = 256 * 1024;

    private async Task<FileClient> UserAsync() => new(await ChatClient.SignUpAsync(fixture.BaseUrl));

    [Fact]
    public async Task An_upload_is_stored_in_chunks_with_its_sha256_and_downloads_byte_for_byte()
    {
        using var alice = await UserAsync();
        var bytes = FileClient.RandomBytes(2 * Chunk + 12_345, seed: 1);

        var uploaded = await alice.UploadAsync(bytes, "application/pdf", "report é.pdf");

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), (string?)uploaded["sha256"]);
        Assert.Equal(bytes.Length, (long)uploaded["size"]!);
        Assert.Equal("report é.pdf", (string?)uploaded["name"]);
        Assert.Equal("application/pdf", (string?)uploaded["contentType"]);
        Assert.Equal((1, 3), await FileClient.StoredRowsAsync(fixture.Database, alice.UserId));

        using var download = await alice.DownloadAsync((string)uploaded["attachmentId"]!);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal(bytes.Length, download.Content.Headers.ContentLength);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"\"{uploaded["sha256"]}\"", download.Headers.ETag!.ToString());
        Assert.False(download.Headers.ETag.IsWeak);
        Assert.Equal("private, max-age=31536000, immutable", download.Headers.NonValidated["Cache-Control"].ToString());
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Range_requests_answer_206_with_the_bytes_asked_for_and_416_outside_the_file()
    {
        using var alice = await UserAsync();
        var bytes = FileClient.RandomBytes(Chunk + 1000, seed: 2);
        var id = await alice.UploadIdAsync(bytes);

        // a-b across the chunk boundary, a- and -n.
        foreach (var (header, from, length) in new[]
                 {
                     ("bytes=262000-262299", 262000, 300), ("bytes=100-", 100, bytes.Length - 100),
                     ("bytes=-500", bytes.Length - 500, 500), ("bytes=0-0", 0, 1), ("bytes=10-99999999", 10, bytes.Length - 10),
                 })
        {
            using var partial = await alice.DownloadAsync(id, r => r.Headers.TryAddWithoutValidation("Range", header));
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal(bytes.AsSpan(from, length).ToArray(), await partial.Content.ReadAsByteArrayAsync());
            Assert.Equal($"bytes {from}-{from + length - 1}/{bytes.Length}", partial.Content.Headers.ContentRange!.ToString());
        }

        using var outside = await alice.DownloadAsync(id, r => r.Headers.TryAddWithoutValidation("Range", $"bytes={bytes.Length}-"));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, outside.StatusCode);
        Assert.Equal($"bytes */{bytes.Length}", outside.Content.Headers.ContentRange!.ToString());
        Assert.Contains("\"code\"", await outside.Content.ReadAsStringAsync());

        // Not a single byte range: ignored, the whole file.
        using var several = await alice.DownloadAsync(id, r => r.Headers.TryAddWithoutValidation("Range", "bytes=0-1,5-6"));
        Assert.Equal(HttpStatusCode.OK, several.StatusCode);
        Assert.Equal(bytes.Length, (await several.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task If_None_Match_with_the_ETag_answers_304_without_a_body()
    {
        using var alice = await UserAsync();
        var id = await alice.UploadIdAsync(FileClient.RandomBytes(5000, seed: 3));
        using var first = await alice.DownloadAsync(id);
        var etag = first.Headers.ETag!;

        using var again = await alice.DownloadAsync(id, r => r.Headers.IfNoneMatch.Add(etag));
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, again.Headers.ETag);

        using var other = await alice.DownloadAsync(id, r => r.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"other\"")));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task HEAD_answers_the_headers_of_the_download_without_its_body()
    {
        using var alice = await UserAsync();
        var id = await alice.UploadIdAsync(FileClient.RandomBytes(7000, seed: 4), "video/mp4");

        using var head = await alice.GetAsync($"/api/attachments/{id}", r => r.Method = HttpMethod.Head);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(7000, head.Content.Headers.ContentLength);
        Assert.Equal("video/mp4", head.Content.Headers.ContentType!.MediaType);
        Assert.Equal("bytes", head.Headers.AcceptRanges.Single());
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("image/png", false)]
    [InlineData("image/jpeg", false)]
    [InlineData("image/gif", false)]
    [InlineData("image/webp", false)]
    [InlineData("audio/ogg", false)]
    [InlineData("video/mp4", false)]
    [InlineData("application/pdf", true)]
    [InlineData("text/html", true)]
    [InlineData("image/svg+xml", true)]
    public async Task Only_pictures_sound_and_video_are_served_inline(string contentType, bool download)
    {
        using var alice = await UserAsync();
        var id = (string)(await alice.UploadAsync("<b>hi</b>"u8.ToArray(), contentType, "x.file"))["attachmentId"]!;

        using var response = await alice.DownloadAsync(id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(download, response.Content.Headers.ContentDisposition?.DispositionType == "attachment");
        if (download) Assert.Equal("x.file", response.Content.Headers.ContentDisposition!.FileNameStar);
    }

    [Fact]
    public async Task Over_25_MiB_is_413_too_large_and_nothing_is_stored_with_or_without_a_Content_Length()
    {
        using var alice = await UserAsync();
        var chunksBefore = await FileClient.CountAsync(fixture.Database, "SELECT COUNT(*) FROM attachment_chunks");

        // Declared: refused before the body is read.
        var declared = new StreamContent(new PatternStream(26_214_401));
        declared.Headers.ContentLength = 26_214_401;
        using (var response = await alice.UploadRawAsync(declared, expectContinue: true))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("too_large", (string?)(await response.Content.JsonAsync())["code"]);
        }

        // Chunked (no length): counted while streaming, stopped at the first byte over.
        using (var response = await alice.UploadRawAsync(new StreamContent(new PatternStream(26_214_401)) { Headers = { ContentLength = null } }))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("too_large", (string?)(await response.Content.JsonAsync())["code"]);
        }

        Assert.Equal((0, 0), await FileClient.StoredRowsAsync(fixture.Database, alice.UserId));
        Assert.Equal(chunksBefore, await FileClient.CountAsync(fixture.Database, "SELECT COUNT(*) FROM attachment_chunks"));
    }

    [Fact]
    public async Task Exactly_25_MiB_is_accepted()
    {
        using var alice = await UserAsync();
        using var response = await alice.UploadRawAsync(new StreamContent(new PatternStream(26_214_400)) { Headers = { ContentLength = null } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.JsonAsync();
        Assert.Equal(26_214_400, (long)body["size"]!);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(new PatternStream(26_214_400))), (string?)body["sha256"]);
    }

    [Fact]
    public async Task An_empty_body_or_a_bad_name_is_400_invalid_request()
    {
        using var alice = await UserAsync();
        using (var empty = await alice.UploadRawAsync(new ByteArrayContent([])))
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        using (var emptyChunked = await alice.UploadRawAsync(new StreamContent(new MemoryStream()) { Headers = { ContentLength = null } }))
            Assert.Equal(HttpStatusCode.BadRequest, emptyChunked.StatusCode);
        using (var emptyName = await alice.UploadRawAsync(new ByteArrayContent([1]), name: ""))
            Assert.Equal(HttpStatusCode.BadRequest, emptyName.StatusCode);
        using (var longName = await alice.UploadRawAsync(new ByteArrayContent([1]), name: new string('n', 256)))
            Assert.Equal(HttpStatusCode.BadRequest, longName.StatusCode);
        Assert.Equal((0, 0), await FileClient.StoredRowsAsync(fixture.Database, alice.UserId));

        // No name: "file"; no Content-Type: application/octet-stream; 255 characters are fine.
        using (var unnamed = await alice.UploadRawAsync(new ByteArrayContent([1, 2]), name: null))
        {
            var body = await unnamed.Content.JsonAsync();
            Assert.Equal(HttpStatusCode.Created, unnamed.StatusCode);
            Assert.Equal("file", (string?)body["name"]);
            Assert.Equal("application/octet-stream", (string?)body["contentType"]);
        }
        using (var longest = await alice.UploadRawAsync(new ByteArrayContent([1]), name: new string('n', 255)))
            Assert.Equal(HttpStatusCode.Created, longest.StatusCode);
    }

    [Fact]
    public async Task Uploads_and_downloads_need_a_token()
    {
        using var http = new HttpClient { BaseAddress = fixture.BaseUrl };
        using var upload = await http.PostAsync("/api/attachments", new ByteArrayContent([1]));
        Assert.Equal(HttpStatusCode.Unauthorized, upload.StatusCode);
        using var download = await http.GetAsync($"/api/attachments/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.Unauthorized, download.StatusCode);
    }
}

public sealed class SqliteAttachmentStoreSpecs(SqliteAttachmentServer fixture)
    : AttachmentStoreSpecs(fixture), IClassFixture<SqliteAttachmentServer>;

public sealed class PostgresAttachmentStoreSpecs(PostgresAttachmentServer fixture)
    : AttachmentStoreSpecs(fixture), IClassFixture<PostgresAttachmentServer>;
