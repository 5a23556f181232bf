using Messenger.Web.Auth;

namespace Messenger.Tests.Auth;

/// <summary>Fair, bounded admission to the hashing slots (no hashing here: slots are held and released by hand).</summary>
public sealed class HashingLanesSpecs
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(1);

    private static async Task<IDisposable?> Enter(HashingLanes lanes, string client, CancellationToken ct = default) =>
        (await lanes.EnterAsync(client, ct)).Slot;

    [Fact]
    public async Task A_flooding_client_waits_behind_itself_not_in_front_of_another_client()
    {
        var lanes = new HashingLanes(slots: 1, maxQueued: 100, maxQueuedPerClient: 100, Long);
        var held = await Enter(lanes, "flood");
        Assert.NotNull(held);
        var flood = Enumerable.Range(0, 20).Select(_ => Enter(lanes, "flood")).ToList();
        var other = Enter(lanes, "other");

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
    public async Task Past_the_queue_bounds_the_answer_is_busy_at_once_and_says_whose_doing_it_is()
    {
        var lanes = new HashingLanes(slots: 1, maxQueued: 3, maxQueuedPerClient: 2, Long);
        var held = await Enter(lanes, "a");
        var a1 = Enter(lanes, "a");
        var a2 = Enter(lanes, "a");
        var aFull = await lanes.EnterAsync("a", CancellationToken.None);
        Assert.Null(aFull.Slot);
        Assert.True(aFull.ClientQueueFull); // a's own lane is full
        var b1 = Enter(lanes, "b");
        var allFull = await lanes.EnterAsync("c", CancellationToken.None);
        Assert.Null(allFull.Slot);
        Assert.False(allFull.ClientQueueFull); // the whole queue is full: not c's doing
        held!.Dispose();
        foreach (var waiting in new[] { a1, b1, a2 }) (await waiting.WaitAsync(TimeSpan.FromSeconds(10)))!.Dispose();
    }

    [Fact]
    public async Task A_check_that_waits_too_long_is_busy()
    {
        var lanes = new HashingLanes(slots: 1, maxQueued: 1, maxQueuedPerClient: 1, TimeSpan.FromMilliseconds(50));
        var held = await Enter(lanes, "a");
        Assert.Null(await Enter(lanes, "b").WaitAsync(TimeSpan.FromSeconds(10)));
        held!.Dispose();
        (await Enter(lanes, "b"))!.Dispose();
    }

    [Fact]
    public async Task A_check_given_up_by_its_caller_no_longer_counts_against_the_queue()
    {
        var lanes = new HashingLanes(slots: 1, maxQueued: 1, maxQueuedPerClient: 1, Long);
        var held = await Enter(lanes, "a");
        using (var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(50)))
            Assert.Null(await Enter(lanes, "b", giveUp.Token).WaitAsync(TimeSpan.FromSeconds(10)));
        var next = Enter(lanes, "c");
        held!.Dispose();
        Assert.NotNull(await next.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
