using System.Buffers;
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

    public static IResult Error(string code, string message) =>
        Results.Json(new ErrorBody(code, message), statusCode: StatusOf(code));

    public static IResult Error(UserReplies.Rejected rejected) => Error(rejected.Code, rejected.Reason);

    public static IResult Unavailable(string message = "the messenger could not answer in time; retry") =>
        Error(ErrorCodes.Unavailable, message);

    /// <summary>JSON written by hand with Utf8JsonWriter: one code path for HTTP and WebSocket shapes.</summary>
    public static IResult Json(int status, Action<Utf8JsonWriter> write) => new WrittenJson(status, write);

    public sealed record ErrorBody(string Code, string Message);

    private sealed class WrittenJson(int status, Action<Utf8JsonWriter> write) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            var buffer = new ArrayBufferWriter<byte>(512);
            await using (var writer = new Utf8JsonWriter(buffer)) write(writer);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.Body.WriteAsync(buffer.WrittenMemory);
        }
    }
}
