using System.Text.Json;
using Messenger.Messages.Chat;

namespace Messenger.Web.Api;

/// <summary>Reads a JSON request body into a record, turning every client mistake into a contract error, never a 500.</summary>
public static class RequestReading
{
    public const int MaxRequestBytes = 64 * 1024;

    // Generated metadata for the edge's own bodies; reflection only for types declared elsewhere.
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.Combine(
            EdgeJson.Default, new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver()),
    };

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

    /// <summary>An optional integer query parameter: absent is null; present and not an integer is an error.</summary>
    public static bool TryInt(HttpRequest request, string name, out int? value, out IResult? error)
    {
        var ok = TryLong(request, name, out var wide, out error);
        value = wide is { } v && v is >= int.MinValue and <= int.MaxValue ? (int)v : wide is null ? null : -1;
        return ok;
    }

    public static bool TryLong(HttpRequest request, string name, out long? value, out IResult? error)
    {
        var raw = request.Query[name].ToString();
        value = null;
        error = null;
        if (raw.Length == 0) return true;
        if (long.TryParse(raw, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return true;
        }
        error = ApiResults.Error(ErrorCodes.InvalidRequest, $"{name} must be an integer");
        return false;
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
