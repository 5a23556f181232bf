using Microsoft.Net.Http.Headers;

namespace Messenger.Web.Attachments;

/// <summary>
/// Which types a browser may show in place (pictures, sound, video); every other type is served as a download
/// (<c>Content-Disposition: attachment</c>), so an uploaded HTML or SVG file can never run in the site's origin.
/// </summary>
public static class AttachmentHeaders
{
    public static bool ShowsInline(string contentType) =>
        contentType is "image/png" or "image/jpeg" or "image/gif" or "image/webp"
        || contentType.StartsWith("audio/", StringComparison.Ordinal)
        || contentType.StartsWith("video/", StringComparison.Ordinal);

    /// <summary><c>attachment</c> with the file's name, ASCII-safe and as RFC 5987 UTF-8 (filename*).</summary>
    public static string Disposition(string name)
    {
        var header = new ContentDispositionHeaderValue("attachment");
        header.SetHttpFileName(name);
        return header.ToString();
    }
}
