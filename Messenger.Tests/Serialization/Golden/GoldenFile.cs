namespace Messenger.Tests.Serialization.Golden;

/// <summary>One stored sample: the manifest and the exact bytes a serializer once wrote.</summary>
internal sealed record GoldenBytes(string Version, string Name, string Manifest, byte[] Bytes)
{
    public string Key => $"{Version}/{Name}";

    public string ToLine() => Line(Name, Manifest, Bytes);

    public static string Line(string name, string manifest, byte[] bytes) =>
        $"{name}\t{manifest}\t{Convert.ToBase64String(bytes)}";
}

/// <summary>
/// Golden/&lt;version&gt;.txt: one sample per line, <c>name TAB manifest TAB base64(bytes)</c>; '#' starts a comment.
/// Append-only: the bytes of a released version are what journals and snapshots hold.
/// </summary>
internal static class GoldenFile
{
    public static string PathOf(string version) => Path.Combine(SourceTree.GoldenDirectory, $"{version}.txt");

    public static IReadOnlyList<GoldenBytes> ReadAll() =>
        Directory.GetFiles(SourceTree.GoldenDirectory, "*.txt")
            .Order(StringComparer.Ordinal)
            .SelectMany(Read)
            .ToList();

    private static IEnumerable<GoldenBytes> Read(string path)
    {
        var version = Path.GetFileNameWithoutExtension(path);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0 || line.StartsWith('#')) continue;
            // An editor may trim the tab before empty bytes (an all-default message serializes to nothing).
            var fields = line.Split('\t');
            if (fields.Length is not (2 or 3))
                throw new FormatException($"{path}:{lineNumber}: expected name<TAB>manifest<TAB>base64");
            var bytes = fields.Length == 3 ? Convert.FromBase64String(fields[2]) : [];
            yield return new GoldenBytes(version, fields[0], fields[1], bytes);
        }
    }
}
