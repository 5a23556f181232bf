using System.Text.Json;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Outages;

/// <summary>The contract's send deadline as the node under test is configured (its appsettings.json beside the binary).</summary>
public static class SendDeadline
{
    public static TimeSpan Of(string project)
    {
        var settings = Path.Combine(Path.GetDirectoryName(NodeProcess.BuildOutput(project))!, "appsettings.json");
        using var json = JsonDocument.Parse(File.ReadAllText(settings));
        return TimeSpan.FromSeconds(json.RootElement.GetProperty("Messenger").GetProperty("Inbox").GetProperty("SendDeadlineSeconds").GetDouble());
    }

    /// <summary>The test's margin on top of the deadline: the answer crossing loopback on a loaded 2-core box.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);
}
