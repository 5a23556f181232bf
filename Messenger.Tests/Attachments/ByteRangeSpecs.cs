using Messenger.Web.Attachments;
using static Messenger.Web.Attachments.ByteRange;

namespace Messenger.Tests.Attachments;

public sealed class ByteRangeSpecs
{
    [Theory]
    [InlineData("bytes=0-99", 0, 100)]
    [InlineData("bytes=10-", 10, 990)]
    [InlineData("bytes=-100", 900, 100)]
    [InlineData("bytes=-5000", 0, 1000)]
    [InlineData("bytes=990-5000", 990, 10)]
    [InlineData("Bytes=5-5", 5, 1)]
    public void A_single_range_is_partial(string header, long from, long length) =>
        Assert.Equal((Kind.Partial, new ByteRange(from, length)), Parse(header, 1000));

    [Theory]
    [InlineData("bytes=1000-")]
    [InlineData("bytes=1000-2000")]
    [InlineData("bytes=-0")]
    public void A_range_outside_the_file_is_unsatisfiable(string header) =>
        Assert.Equal(Kind.Unsatisfiable, Parse(header, 1000).Kind);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("items=0-5")]
    [InlineData("bytes=0-1,4-5")]
    [InlineData("bytes=5-1")]
    [InlineData("bytes=a-b")]
    [InlineData("bytes=-")]
    [InlineData("bytes=+1-2")]
    public void Anything_else_is_ignored_and_the_whole_file_is_sent(string? header) =>
        Assert.Equal((Kind.Whole, new ByteRange(0, 1000)), Parse(header, 1000));
}
