using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Messenger.Bench;

/// <summary>
/// <c>--mode transfer</c>: one user uploads a file of <c>--file-mib</c> MiB (<c>POST /api/attachments?name=</c>,
/// application/octet-stream) and downloads it back (<c>GET /api/attachments/{id}</c>), <c>--runs</c> times. Each
/// round checks the status, the Attachment's size and sha256, and the downloaded bytes' count and sha256; the rates
/// come from the bytes counted and the time from request start to the last byte.
/// </summary>
public sealed class TransferRun(BenchOptions options)
{
    public static async Task<int> MainAsync(BenchOptions options, CancellationToken abort)
    {
        try
        {
            var figures = await new TransferRun(options).RunAsync(abort).ConfigureAwait(false);
            figures.WriteHumanSummary(Console.Error);
            Console.Out.WriteLine(figures.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
            return figures.ExitCode;
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            Console.Error.WriteLine("interrupted");
            return 1;
        }
    }

    public async Task<TransferFigures> RunAsync(CancellationToken abort)
    {
        var file = new byte[options.FileMiB * 1024 * 1024];
        new Random(11).NextBytes(file); // incompressible, and the same file every run
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(file));
        var uploads = new List<TransferSample>();
        var downloads = new List<TransferSample>();
        var failures = new List<string>();

        using var api = new ApiClient(options.Url);
        var setup = new BenchSetup(api, new BenchStats(), 1);
        var user = (await setup.SignUpAsync(1, abort).ConfigureAwait(false))[0];
        if (user is null) return new TransferFigures(file.Length, uploads, downloads, ["sign-up failed"]);

        using var http = new HttpClient { BaseAddress = api.BaseUrl, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        for (int round = 1; round <= options.Runs && !abort.IsCancellationRequested; round++)
        {
            var (uploaded, id, uploadFailure) = await UploadAsync(http, file, sha256, round, abort).ConfigureAwait(false);
            if (uploadFailure is not null)
            {
                failures.Add($"round {round} upload: {uploadFailure}");
                continue;
            }
            uploads.Add(uploaded);
            var (downloaded, downloadFailure) = await DownloadAsync(http, id!, file.Length, sha256, abort).ConfigureAwait(false);
            if (downloadFailure is not null) failures.Add($"round {round} download: {downloadFailure}");
            else downloads.Add(downloaded);
            Console.Error.WriteLine($"  round {round}: upload {Rate(uploaded)}, download {(downloadFailure is null ? Rate(downloaded) : "failed")} MiB/s");
        }
        return new TransferFigures(file.Length, uploads, downloads, failures);
    }

    private static async Task<(TransferSample Sample, string? Id, string? Failure)> UploadAsync(HttpClient http, byte[] file,
        string sha256, int round, CancellationToken ct)
    {
        using var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.PostAsync($"api/attachments?name=bench-{round}.bin", content, ct).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            var sample = new TransferSample(file.Length, Stopwatch.GetElapsedTime(started).TotalSeconds);
            if (response.StatusCode != HttpStatusCode.Created) return (sample, null, $"HTTP {(int)response.StatusCode} {Short(text)}");
            var attachment = JsonNode.Parse(text);
            var id = attachment?["attachmentId"]?.GetValue<string>();
            var size = attachment?["size"]?.GetValue<long>();
            var hash = attachment?["sha256"]?.GetValue<string>();
            if (id is null) return (sample, null, "no attachmentId in " + Short(text));
            if (size != file.Length) return (sample, null, $"size {size} for {file.Length} bytes sent");
            if (hash != sha256) return (sample, null, $"sha256 {hash} for {sha256} sent");
            return (sample, id, null);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException
                                   || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return (default, null, e.GetType().Name + ": " + e.Message);
        }
    }

    private static async Task<(TransferSample Sample, string? Failure)> DownloadAsync(HttpClient http, string id, long expected,
        string sha256, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.GetAsync($"api/attachments/{Uri.EscapeDataString(id)}", HttpCompletionOption.ResponseHeadersRead, ct)
                .ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
                return (default, $"HTTP {(int)response.StatusCode} {Short(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false))}");
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            var buffer = new byte[81920];
            long bytes = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                bytes += read;
            }
            var sample = new TransferSample(bytes, Stopwatch.GetElapsedTime(started).TotalSeconds);
            if (bytes != expected) return (sample, $"{bytes} bytes for {expected} uploaded");
            var got = Convert.ToHexStringLower(hash.GetHashAndReset());
            return got == sha256 ? (sample, null) : (sample, $"sha256 {got} for {sha256} uploaded");
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return (default, e.GetType().Name + ": " + e.Message);
        }
    }

    private static string Rate(TransferSample s) => s.MiBPerSecond?.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) ?? "n/a";

    private static string Short(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
