using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Attachments;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "Attachments alone";
}

/// <summary>
/// A 25 MiB upload and its download allocate far less than 25 MiB in the whole process (server and client): the
/// store streams in bounded chunks. Alone in its collection, so other specs' allocations do not count.
/// Also prints the MiB/s of a 10 MiB upload and download (README "Attachments").
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class UploadMemorySpecs(ITestOutputHelper output)
{
    private const long FileSize = 26_214_400;

    [Fact]
    public async Task A_25_MiB_upload_and_download_allocate_well_under_the_file_size()
    {
        await using var server = await MessengerServer.StartAsync();
        using var alice = new FileClient(await ChatClient.SignUpAsync(server.BaseUrl));
        await alice.UploadIdAsync(FileClient.RandomBytes(300_000, 1)); // warm up every code path once

        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var response = await alice.UploadRawAsync(new StreamContent(new PatternStream(FileSize)) { Headers = { ContentLength = FileSize } });
        var uploaded = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (string)(await response.Content.JsonAsync())["attachmentId"]!;

        before = GC.GetTotalAllocatedBytes(precise: true);
        using (var download = await alice.StreamAsync(id))
        await using (var body = await download.Content.ReadAsStreamAsync())
        {
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0) total += read;
            Assert.Equal(FileSize, total);
        }
        var downloaded = GC.GetTotalAllocatedBytes(precise: true) - before;

        output.WriteLine($"allocated: upload {uploaded / 1048576.0:F1} MiB, download {downloaded / 1048576.0:F1} MiB for a 25 MiB file");
        Assert.True(uploaded < FileSize / 3, $"the upload allocated {uploaded:N0} bytes");
        Assert.True(downloaded < FileSize / 3, $"the download allocated {downloaded:N0} bytes");
    }

    [Fact]
    public async Task Ten_MiB_round_trip_throughput_is_reported()
    {
        await using var server = await MessengerServer.StartAsync();
        using var alice = new FileClient(await ChatClient.SignUpAsync(server.BaseUrl));
        const long size = 10 * 1024 * 1024;
        await alice.UploadIdAsync(FileClient.RandomBytes(300_000, 1));

        var clock = Stopwatch.StartNew();
        using var response = await alice.UploadRawAsync(new StreamContent(new PatternStream(size)) { Headers = { ContentLength = size } });
        var up = clock.Elapsed;
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (string)(await response.Content.JsonAsync())["attachmentId"]!;

        clock.Restart();
        using var download = await alice.DownloadAsync(id);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        var down = clock.Elapsed;
        Assert.Equal(size, bytes.Length);
        output.WriteLine($"10 MiB on SQLite: upload {10 / up.TotalSeconds:F0} MiB/s, download {10 / down.TotalSeconds:F0} MiB/s");
    }
}
