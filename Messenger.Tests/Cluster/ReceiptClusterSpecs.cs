using System.Text.Json.Nodes;
using Messenger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.Tests.Cluster;

/// <summary>
/// Receipts across two web nodes of a multi-process cluster: a marker moved by a device on one node reaches the
/// peer's device and the mover's other device on the other node (the inboxes push to devices wherever they are), and
/// the peer's conversation list carries the markers.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ReceiptClusterSpecs(PostgresServer postgres, ITestOutputHelper output)
{
    private static Func<JsonObject, bool> Receipt(string userId, string? delivered, string? read) => f =>
        (string?)f["type"] == "receipt" && (string?)f["userId"] == userId
        && (string?)f["delivered"] == delivered && (string?)f["read"] == read;

    [Fact]
    public async Task Receipt_frames_cross_web_nodes_to_every_device_of_both_users()
    {
        await using var cluster = await ClusterHarness.CreateAsync(postgres, output, "receipts");
        try
        {
            var (webA, webB) = await cluster.StartTwoWebNodesAsync();

            using var alice = await ChatClient.SignUpAsync(webA.BaseUrl!);
            using var bob = await ChatClient.SignUpAsync(webB.BaseUrl!);
            await using var alicePhone = await ChatSocket.ConnectAsync(webA.BaseUrl!, alice.Token);
            await using var bobPhone = await ChatSocket.ConnectAsync(webB.BaseUrl!, bob.Token);
            await using var bobLaptop = await ChatSocket.ConnectAsync(webA.BaseUrl!, bob.Token);

            var key = Guid.NewGuid();
            var sent = await alice.SendPatientlyAsync(bob.UserId, "across the nodes", key);
            var conversationId = (string)sent["conversationId"]!;
            var order = (string)sent["order"]!;
            // Each device holds the message: it is attached to its inbox, so later pushes reach it.
            await alicePhone.WaitForMessageAsync(key);
            var atBob = await bobPhone.WaitForMessageAsync(key);
            await bobLaptop.WaitForMessageAsync(key);
            var seq = (long)atBob["message"]!["seq"]!;

            await bobPhone.SendJsonAsync(new { type = "received", upTo = seq });
            foreach (var device in new[] { alicePhone, bobPhone, bobLaptop })
                Assert.Equal(conversationId, (string?)(await device.WaitForAsync(Receipt(bob.UserId, order, null)))["conversationId"]);

            await bobPhone.SendJsonAsync(new { type = "read", conversationId, upTo = order });
            foreach (var device in new[] { alicePhone, bobPhone, bobLaptop })
                await device.WaitForAsync(Receipt(bob.UserId, order, order));

            // The other node's HTTP answer carries the same markers.
            var (_, page) = await alice.GetAsync("/api/conversations");
            var receipts = page!["conversations"]!.AsArray().Single()!["receipts"]!.AsArray().Single()!;
            Assert.Equal((bob.UserId, order, order), ((string?)receipts["userId"], (string?)receipts["delivered"], (string?)receipts["read"]));
        }
        catch
        {
            cluster.DumpLogs();
            throw;
        }
    }
}
