using Messenger.Messages.Chat;
using Messenger.Node.Attachments;
using Messenger.Web.Api;
using Messenger.Web.Auth;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Messenger.Web.Attachments;

/// <summary>
/// POST /api/attachments (streamed upload), GET /api/attachments/{id} (streamed download with Range and ETag) and
/// GET /api/attachments/{id}/thumbnail (API.md "Attachments").
/// </summary>
public static class AttachmentEndpoints
{
    public static void MapAttachmentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/attachments", Upload).RequireAuthorization();
        app.MapMethods("/api/attachments/{attachmentId}", ["GET", "HEAD"], Download).RequireAuthorization();
        app.MapMethods("/api/attachments/{attachmentId}/thumbnail", ["GET", "HEAD"], Thumbnail).RequireAuthorization();
    }

    private static async Task<IResult> Upload(HttpContext context, AttachmentStore store)
    {
        var request = context.Request;
        var name = request.Query.TryGetValue("name", out var given) ? given.ToString() : Attachment.DefaultName;
        if (name.Length is 0 or > Attachment.MaxNameLength || name.Any(char.IsControl))
            return ApiResults.Error(ErrorCodes.InvalidRequest, "name must be 1–255 characters without control characters");
        if (request.ContentLength > Attachment.MaxBytes)
            return ApiResults.Error(ErrorCodes.TooLarge, "an attachment is at most 26,214,400 bytes");
        if (request.ContentLength == 0)
            return ApiResults.Error(ErrorCodes.InvalidRequest, "the file is empty");

        // The server-wide body limit is sized for JSON; this endpoint counts the bytes itself (chunked bodies too).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
        try
        {
            var result = await store.SaveAsync(context.UserId(), name, ContentTypeOf(request), request.Body,
                Attachment.MaxBytes, DateTime.UtcNow, context.RequestAborted);
            return result.Outcome switch
            {
                UploadOutcome.Stored => ApiResults.Json(201, w => AttachmentJson.Write(w, result.Attachment!)),
                UploadOutcome.Empty => ApiResults.Error(ErrorCodes.InvalidRequest, "the file is empty"),
                _ => ApiResults.Error(ErrorCodes.TooLarge, "an attachment is at most 26,214,400 bytes"),
            };
        }
        catch (System.Data.Common.DbException)
        {
            return ApiResults.Unavailable("the attachment could not be stored; retry");
        }
    }

    private static async Task Download(HttpContext context, string attachmentId, AttachmentAccess access, AttachmentStore store)
    {
        var allowed = await access.CheckAsync(context.UserId(), attachmentId, context.RequestAborted);
        if (allowed.Value is not { } stored)
        {
            await ApiResults.Error(allowed.Error!).ExecuteAsync(context);
            return;
        }
        var a = stored.Attachment;
        var response = context.Response;
        var etag = new EntityTagHeaderValue($"\"{a.Sha256}\"");
        CachingHeaders(response, etag, a.ContentType);
        response.Headers.AcceptRanges = "bytes";
        if (!AttachmentHeaders.ShowsInline(a.ContentType))
            response.Headers.ContentDisposition = AttachmentHeaders.Disposition(a.Name);
        if (NotModified(context.Request, etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        // If-Range with another validator asks for the whole (changed) file; ours never changes, but honour it.
        var rangeHeader = IfRangeMatches(context.Request, etag) ? context.Request.Headers.Range.ToString() : null;
        var (kind, range) = ByteRange.Parse(rangeHeader, a.Size);
        if (kind == ByteRange.Kind.Unsatisfiable)
        {
            response.Headers.ContentRange = $"bytes */{a.Size}";
            response.Headers.Remove(HeaderNames.ContentDisposition);
            await ApiResults.Error(StatusCodes.Status416RangeNotSatisfiable, ErrorCodes.InvalidRequest,
                "the range is outside the file").ExecuteAsync(context);
            return;
        }
        if (kind == ByteRange.Kind.Partial)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {range.From}-{range.From + range.Length - 1}/{a.Size}";
        }
        response.ContentType = a.ContentType;
        response.ContentLength = range.Length;
        if (HttpMethods.IsHead(context.Request.Method)) return;
        try
        {
            if (!await store.CopyToAsync(a.AttachmentId, range.From, range.Length, response.Body, context.RequestAborted))
                context.Abort(); // removed while being sent: the client sees a cut-off body, never wrong bytes
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
    }

    private static async Task Thumbnail(HttpContext context, string attachmentId, AttachmentAccess access, Thumbnails thumbnails)
    {
        var allowed = await access.CheckAsync(context.UserId(), attachmentId, context.RequestAborted);
        if (allowed.Value is not { } stored)
        {
            await ApiResults.Error(allowed.Error!).ExecuteAsync(context);
            return;
        }
        var etag = new EntityTagHeaderValue($"\"{stored.Attachment.Sha256}-thumbnail\"");
        (string ContentType, byte[] Data)? thumbnail;
        try
        {
            thumbnail = await thumbnails.GetAsync(stored, context.RequestAborted);
        }
        catch (System.Data.Common.DbException)
        {
            await ApiResults.Unavailable("the thumbnail could not be made; retry").ExecuteAsync(context);
            return;
        }
        if (thumbnail is not { } made)
        {
            await ApiResults.Error(ErrorCodes.NotFound, "this attachment has no thumbnail").ExecuteAsync(context);
            return;
        }
        var response = context.Response;
        CachingHeaders(response, etag, made.ContentType);
        if (NotModified(context.Request, etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        response.ContentType = made.ContentType;
        response.ContentLength = made.Data.Length;
        if (!HttpMethods.IsHead(context.Request.Method)) await response.Body.WriteAsync(made.Data, context.RequestAborted);
    }

    /// <summary>The upload's Content-Type, reduced to its media type; absent or unparsable is application/octet-stream.</summary>
    private static string ContentTypeOf(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) && parsed.MediaType.HasValue
            && parsed.MediaType.Value!.Contains('/') && !parsed.MediaType.Value.Contains('*')
            ? parsed.MediaType.Value.ToLowerInvariant()
            : "application/octet-stream";

    private static void CachingHeaders(HttpResponse response, EntityTagHeaderValue etag, string contentType)
    {
        response.Headers.ETag = etag.ToString();
        response.Headers.CacheControl = "private, max-age=31536000, immutable";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.Vary = HeaderNames.Authorization;
    }

    /// <summary>If-None-Match (weak comparison, as RFC 9110 asks for it): 304 when any tag, or *, matches.</summary>
    private static bool NotModified(HttpRequest request, EntityTagHeaderValue etag) =>
        EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch.ToArray()!, out var tags)
        && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(etag, useStrongComparison: false));

    private static bool IfRangeMatches(HttpRequest request, EntityTagHeaderValue etag)
    {
        var ifRange = request.Headers.IfRange.ToString();
        if (ifRange.Length == 0) return true;
        return EntityTagHeaderValue.TryParse(ifRange, out var tag) && tag.Compare(etag, useStrongComparison: true);
    }
}
