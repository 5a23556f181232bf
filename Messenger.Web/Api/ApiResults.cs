using Messenger.Messages.Telemetry;
using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Messenger.Messages.Chat;
using Messenger.Messages.Users;

namespace Messenger.Web.Api;

/// <summary>HTTP answers in the contract's shapes: errors as {"code","message"} with the status each code maps to.</summary>
public static class ApiResults
{
    public static int StatusOf(string code) => code switch
    {
        ErrorCodes.InvalidRequest => 400,
        ErrorCodes.Unauthorized => 401,
        ErrorCodes.Forbidden => 403,
        ErrorCodes.NotFound => 404,
        ErrorCodes.UsernameTaken => 409,
        ErrorCodes.TooLarge => 413,
        ErrorCodes.RateLimited => 429,
        _ => 503,
    };

    public static IResult Error(string code, string message) => Error(StatusOf(code), code, message);

    /// <summary>A status that is not the code's usual one (405 is <c>invalid_request</c> too).</summary>
    public static IResult Error(int status, string code, string message, TimeSpan? retryAfter = null)
    {
        MessengerMetrics.Rejected(code);
        // Every 503 tells the client when to retry (API.md: unavailable is retried with the same clientMessageId).
        if (status == 503) retryAfter ??= TimeSpan.FromSeconds(1);
        return new WrittenJson(status, w =>
        {
            w.WriteStartObject();
            w.WriteString("code", code);
            w.WriteString("message", message);
            w.WriteEndObject();
        }, retryAfter);
    }

    public static IResult Error(EdgeError error) => Error(StatusOf(error.Code), error.Code, error.Message, error.RetryAfter);

    public static IResult Error(UserReplies.Rejected rejected) => Error(rejected.Code, rejected.Reason);

    public static IResult Unavailable(string message = "the messenger could not answer in time; retry") =>
        Error(ErrorCodes.Unavailable, message);

    /// <summary>JSON written by hand with Utf8JsonWriter: one code path for HTTP and WebSocket shapes.</summary>
    public static IResult Json(int status, Action<Utf8JsonWriter> write) => new WrittenJson(status, write, null);

    /// <summary>The answer's value as JSON, or its error.</summary>
    public static IResult From<T>(EdgeAnswer<T> answer, Action<Utf8JsonWriter, T> write) where T : class =>
        answer.Value is { } value ? Json(200, w => write(w, value)) : Error(answer.Error!);

    private sealed class WrittenJson(int status, Action<Utf8JsonWriter> write, TimeSpan? retryAfter) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            var buffer = new ArrayBufferWriter<byte>(512);
            await using (var writer = new Utf8JsonWriter(buffer)) write(writer);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = buffer.WrittenCount;
            if (retryAfter is { } wait)
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await context.Response.Body.WriteAsync(buffer.WrittenMemory);
        }
    }
}
