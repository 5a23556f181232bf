using Messenger.Web.Auth;

namespace Messenger.Tests.Auth;

/// <summary>Fair, bounded admission to the hashing slots (no hashing here: slots are held and released by hand).</summary>
public sealed class HashingLanesSpecs
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_flooding_client_waits_behind_itself_not_in_front_of_another_client()
    {
        var lanes = new HashingLanes(slots: 1, maxQueued: 100, maxQueuedPerClient: 100, Long);
        var held = await lanes.EnterAsync("flood", CancellationToken.None);
        Assert.NotNull(held);
        var flood = Enumerable.Range(0, 20).Select(_ => lanes.EnterAsync("flood", CancellationToken.None)).ToList();
        var other = lanes.EnterAsync("other", CancellationToken.None);

        held!.Dispose();
        var firstFlood = await flood[0];
        Assert.NotNull(firstFlood);
        Assert.False(other.IsCompleted);
        firstFlood!.Dispose();
        // Round-robin: the other client is next, ahead of the 19 flood checks that queued before it.
        var otherSlot = await other.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(otherSlot);
        Assert.DoesNotContain(flood.Skip(1), f => f.IsCompleted);
        otherSlot!.Dispose();
        foreach (var f in flood.Skip(1)) (await f.WaitAsync(TimeSpan.FromSeconds(10)))!.Dispose();
    }

    [Fact]
    public async Task Past_the_queue_bounds_the_answer_is_busy_at_once()
    {
        var lanes = new HashingLanes(slots: 1, maxQueued: 3, maxQueuedPerClient: 2, Long);
        var held = await lanes.EnterAsync("a", CancellationToken.None);
        var a1 = lanes.EnterAsync("a", CancellationToken.None);
        var a2 = lanes.EnterAsync("a", CancellationToken.None);
        Assert.Null(await lanes.EnterAsync("a", CancellationToken.None)); // a's lane is full
        var b1 = lanes.EnterAsync("b", CancellationToken.None);
        Assert.Null(await lanes.EnterAsync("c", CancellationToken.None)); // the whole queue is full
        held!.Dispose();
        foreach (var waiting in new[] { a1, b1, a2 }) (await waiting.WaitAsync(TimeSpan.FromSeconds(10)))!.Dispose();
    }

    [Fact]
    public async Task A_check_that_waits_too_long_is_busy()
    {
        var lanes = new HashingLanes(slots: 1, maxQueued: 1, maxQueuedPerClient: 1, TimeSpan.FromMilliseconds(50));
        var held = await lanes.EnterAsync("a", CancellationToken.None);
        Assert.Null(await lanes.EnterAsync("b", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        held!.Dispose();
        (await lanes.EnterAsync("b", CancellationToken.None))!.Dispose();
    }

    [Fact]
    public async Task A_check_given_up_by_its_caller_no_longer_counts_against_the_queue()
    {
        var lanes = new HashingLanes(slots: 1, maxQueued: 1, maxQueuedPerClient: 1, Long);
        var held = await lanes.EnterAsync("a", CancellationToken.None);
        using (var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(50)))
            Assert.Null(await lanes.EnterAsync("b", giveUp.Token).WaitAsync(TimeSpan.FromSeconds(10)));
        var next = lanes.EnterAsync("c", CancellationToken.None);
        held!.Dispose();
        Assert.NotNull(await next.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
