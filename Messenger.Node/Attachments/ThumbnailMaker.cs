using ImageMagick;

namespace Messenger.Node.Attachments;

/// <summary>
/// Makes a thumbnail (longest side ≤ <see cref="MaxSide"/>) of a png/jpeg/gif/webp attachment with Magick.NET: a JPEG,
/// or a WebP when the picture has transparency (JPEG would paint it black). Pure and synchronous (CPU work); the
/// caller runs it off the request thread. The decoder is pinned to the declared format, so a file that claims to be
/// an image can never reach ImageMagick's other coders (SVG, MSL, …); an undecodable file yields null.
/// </summary>
public static class ThumbnailMaker
{
    public const int MaxSide = 320;

    private static readonly Dictionary<string, MagickFormat> Decoders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["image/png"] = MagickFormat.Png,
        ["image/jpeg"] = MagickFormat.Jpeg,
        ["image/gif"] = MagickFormat.Gif,
        ["image/webp"] = MagickFormat.WebP,
    };

    static ThumbnailMaker()
    {
        // A small file can declare a huge canvas (a decompression bomb): refuse past these instead of allocating it.
        ResourceLimits.Width = 20_000;
        ResourceLimits.Height = 20_000;
        ResourceLimits.Area = 128UL * 1024 * 1024;
        ResourceLimits.Memory = 512UL * 1024 * 1024;
    }

    public static bool CanThumbnail(string contentType) => Decoders.ContainsKey(contentType);

    /// <summary>The thumbnail's (content type, bytes), or null when the file does not decode as its declared type.</summary>
    public static (string ContentType, byte[] Data)? Make(Stream image, string contentType)
    {
        if (!Decoders.TryGetValue(contentType, out var format)) return null;
        try
        {
            // The first frame of an animation is its thumbnail.
            using var picture = new MagickImage(image, new MagickReadSettings { Format = format, FrameIndex = 0, FrameCount = 1 });
            picture.AutoOrient();
            picture.Thumbnail(new MagickGeometry(MaxSide, MaxSide) { Greater = true });
            picture.Strip();
            if (picture.HasAlpha)
            {
                picture.Format = MagickFormat.WebP;
                picture.Quality = 80;
                return ("image/webp", picture.ToByteArray());
            }
            picture.Format = MagickFormat.Jpeg;
            picture.Quality = 82;
            return ("image/jpeg", picture.ToByteArray());
        }
        catch (MagickException)
        {
            return null;
        }
    }
}
