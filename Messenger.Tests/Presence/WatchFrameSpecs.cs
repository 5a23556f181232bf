using System.Text;
using Messenger.Web.RealTime;

namespace Messenger.Tests.Presence;

/// <summary>Parsing the new client frames: watch lists and typing.</summary>
public sealed class WatchFrameSpecs
{
    private static ClientFrame Parse(string json) => ClientFrame.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Watch_and_typing_frames_parse()
    {
        var watch = Parse("""{"type":"watch","userIds":["bob","carol"]}""");
        Assert.Equal("watch", watch.Type);
        Assert.Equal(["bob", "carol"], watch.UserIds!);

        var typing = Parse("""{"type":"typing","conversationId":"dm:alice:bob"}""");
        Assert.Equal("typing", typing.Type);
        Assert.Equal("dm:alice:bob", typing.ConversationId);
    }

    [Theory]
    [InlineData("""{"type":"watch","userIds":"bob"}""")]
    [InlineData("""{"type":"watch","userIds":["bob",7]}""")]
    [InlineData("""{"type":"watch","userIds":[["bob"]]}""")]
    [InlineData("""{"type":"watch","userIds":{"bob":1}}""")]
    public void A_watch_list_that_is_not_an_array_of_strings_is_invalid(string json)
    {
        var frame = Parse(json);
        Assert.Equal(ClientFrame.InvalidType, frame.Type);
        Assert.Contains("userIds", frame.Error);
    }
}
