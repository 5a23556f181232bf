using System.Net;
using Messenger.Node.Storage;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Attachments;

/// <summary>The access rule lives in the recipient's inbox state: rebuilt from its snapshot and journal on restart.</summary>
public sealed class AttachmentRestartSpecs
{
    [Fact]
    public async Task A_recipient_still_may_download_after_a_restart_and_a_stranger_still_may_not()
    {
        var dataDir = TempDirs.Create("attach-restart");
        string[] snapshotOften = ["--Messenger:Inbox:SnapshotEvery", "3"];
        try
        {
            string bobToken, carolToken, bobId;
            var ids = new List<string>();
            await using (var server = await MessengerServer.StartAsync(dataDir, snapshotOften))
            {
                using var alice = new FileClient(await ChatClient.SignUpAsync(server.BaseUrl));
                using var bob = await ChatClient.SignUpAsync(server.BaseUrl);
                using var carol = await ChatClient.SignUpAsync(server.BaseUrl);
                (bobToken, carolToken, bobId) = (bob.Token, carol.Token, bob.UserId);
                // Some attachments end up in bob's snapshot, the last ones only in the events replayed after it.
                for (var i = 0; i < 7; i++)
                {
                    var id = await alice.UploadIdAsync(FileClient.RandomBytes(1000 + i, i), "image/png");
                    Assert.Equal(HttpStatusCode.OK, (await alice.SendAsync(bob.UserId, $"file {i}", [id])).Status);
                    ids.Add(id);
                }
                await server.StopAsync();
            }

            var database = new JournalDatabase(JournalKind.Sqlite, JournalDatabase.SqliteConnectionString(dataDir));
            Assert.True(await FileClient.CountAsync(database, $"SELECT COUNT(*) FROM snapshot_store WHERE persistence_id = 'inbox-{bobId}'") > 0,
                "bob's inbox has a snapshot, so recovery starts from it");

            await using var again = await MessengerServer.StartAsync(dataDir, snapshotOften);
            using var http = new HttpClient { BaseAddress = again.BaseUrl };
            for (var i = 0; i < ids.Count; i++)
            {
                using var bobs = await http.GetAsync($"/api/attachments/{ids[i]}?access_token={bobToken}");
                Assert.Equal(HttpStatusCode.OK, bobs.StatusCode);
                Assert.Equal(FileClient.RandomBytes(1000 + i, i), await bobs.Content.ReadAsByteArrayAsync());
                using var carols = await http.GetAsync($"/api/attachments/{ids[i]}?access_token={carolToken}");
                Assert.Equal(HttpStatusCode.NotFound, carols.StatusCode);
            }
        }
        finally
        {
            TempDirs.TryDelete(dataDir);
        }
    }
}
