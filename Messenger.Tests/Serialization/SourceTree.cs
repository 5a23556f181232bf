namespace Messenger.Tests.Serialization;

/// <summary>Files of the source tree the serialization specs read: the production binding and the golden bytes.</summary>
internal static class SourceTree
{
    public static string SerializationConf => Path.Combine(Root, "hocon", "serialization.conf");

    public static string GoldenDirectory => Path.Combine(Root, "Messenger.Tests", "Serialization", "Golden");

    private static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Messenger.sln"))) return dir.FullName;
            }

            throw new InvalidOperationException($"No Messenger.sln above {AppContext.BaseDirectory}");
        }
    }
}
