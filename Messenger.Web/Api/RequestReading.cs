using System.Text.Json;
using Messenger.Messages.Chat;

namespace Messenger.Web.Api;

/// <summary>Reads a JSON request body into a record, turning every client mistake into a contract error, never a 500.</summary>
public static class RequestReading
{
    public const int MaxRequestBytes = 64 * 1024;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static async Task<(T? Value, IResult? Error)> ReadJsonAsync<T>(HttpRequest request) where T : class
    {
        if (request.ContentLength > MaxRequestBytes)
            return (null, ApiResults.Error(ErrorCodes.TooLarge, "request body is too large"));
        try
        {
            using var limited = new MemoryStream();
            await request.Body.CopyToAsync(limited, request.HttpContext.RequestAborted);
            if (limited.Length > MaxRequestBytes)
                return (null, ApiResults.Error(ErrorCodes.TooLarge, "request body is too large"));
            if (limited.Length == 0)
                return (null, ApiResults.Error(ErrorCodes.InvalidRequest, "a JSON body is required"));
            var value = JsonSerializer.Deserialize<T>(limited.GetBuffer().AsSpan(0, (int)limited.Length), Options);
            return value is null
                ? (null, ApiResults.Error(ErrorCodes.InvalidRequest, "a JSON object is required"))
                : (value, null);
        }
        catch (JsonException)
        {
            return (null, ApiResults.Error(ErrorCodes.InvalidRequest, "body is not valid JSON of the expected shape"));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == 413)
        {
            return (null, ApiResults.Error(ErrorCodes.TooLarge, "request body is too large"));
        }
    }

    public static (int Value, IResult? Error) IntQuery(HttpRequest request, string name, int fallback, int min, int max)
    {
        var raw = request.Query[name].ToString();
        if (string.IsNullOrEmpty(raw)) return (fallback, null);
        return int.TryParse(raw, out var value) && value >= min && value <= max
            ? (value, null)
            : (0, ApiResults.Error(ErrorCodes.InvalidRequest, $"{name} must be an integer from {min} to {max}"));
    }
}
