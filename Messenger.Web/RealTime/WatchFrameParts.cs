using System.Text.Json;

namespace Messenger.Web.RealTime;

/// <summary>The parts of a client <c>watch</c> frame that <see cref="ClientFrame.Parse"/> reads with this code.</summary>
public static class WatchFrameParts
{
    /// <summary>
    /// <c>userIds</c>: an array of strings. Read whole (a frame is at most 32 KiB, so this is bounded); the count is
    /// checked by the bridge so the error can name the limit. Anything else notes why in <paramref name="wrong"/>.
    /// </summary>
    public static string[]? UserIds(ref Utf8JsonReader reader, ref string? wrong)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            if (reader.TokenType != JsonTokenType.Null) wrong ??= "userIds must be an array of user ids";
            reader.Skip();
            return null;
        }
        var ids = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String) ids.Add(reader.GetString()!);
            else
            {
                wrong ??= "userIds must be an array of user ids";
                reader.Skip();
            }
        }
        return ids.ToArray();
    }
}
