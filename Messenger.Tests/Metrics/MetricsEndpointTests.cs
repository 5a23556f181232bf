using System.Diagnostics;
using Messenger.Messages.Telemetry;
using Messenger.Tests.Infrastructure;

namespace Messenger.Tests.Metrics;

/// <summary>
/// <c>GET /metrics</c> of a real server: OpenTelemetry's Prometheus exporter, scraped over HTTP. The framework's
/// series are read from a server in its own process; the Messenger meter's from one in this process, whose shared
/// instruments the spec records into.
/// </summary>
public sealed class MetricsEndpointTests(WebProcessFixture process, ServerFixture fixture)
    : IClassFixture<WebProcessFixture>, IClassFixture<ServerFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_scrape_shows_open_sockets_answered_sends_and_process_memory()
    {
        using var alice = await ChatClient.SignUpAsync(process.BaseUrl);
        using var bob = await ChatClient.SignUpAsync(process.BaseUrl);
        await using var bobSocket = await ChatSocket.ConnectAsync(bob);
        await alice.SendAsync(bob.UserId, "counted");

        var scrape = await ScrapeUntilAsync(process.BaseUrl, s =>
            s.Sum("kestrel_upgraded_connections") >= 1 &&
            s.Sum("http_server_request_duration_seconds_count", ("http_route", "/api/messages"), ("http_response_status_code", "200")) >= 1);

        Assert.StartsWith("text/plain; version=0.0.4", scrape.ContentType);
        Assert.True(scrape.Sum("dotnet_process_memory_working_set_bytes") > 0);
        Assert.NotNull(scrape.Sum("dotnet_gc_heap_total_allocated_bytes_total"));
    }

    [Fact]
    public async Task The_messenger_meter_is_exported_under_its_prometheus_names()
    {
        // Records straight into the shared instruments, the way the send path and the journal do, and finds each
        // under the name the bench and dashboards read.
        var code = "probe_" + Guid.NewGuid().ToString("N")[..8];
        MessengerMetrics.Acknowledged(Stopwatch.GetTimestamp());
        MessengerMetrics.JournalCommitted(rows: 7, Stopwatch.GetTimestamp());
        MessengerMetrics.InboxActivations.Add(1);
        MessengerMetrics.InboxRecovered(Stopwatch.GetTimestamp());
        MessengerMetrics.Rejected(code);
        MessengerMetrics.Connections.Add(1);
        MessengerMetrics.Connections.Add(-1);

        var scrape = await ScrapeUntilAsync(fixture.BaseUrl, s => s.Sum("messenger_rejections_total", ("code", code)) == 1);

        Assert.True(scrape.Sum("messenger_messages_acknowledged_total") >= 1);
        Assert.True(scrape.Sum("messenger_send_duration_milliseconds_count") >= 1);
        Assert.True(scrape.Sum("messenger_journal_batch_rows_sum") >= 7);
        Assert.True(scrape.Sum("messenger_journal_commit_duration_milliseconds_count") >= 1);
        Assert.True(scrape.Sum("messenger_inbox_activations_total") >= 1);
        Assert.NotNull(scrape.Sum("messenger_connections"));
        Assert.True(scrape.Sum("messenger_inbox_recoveries_total") >= 1);
        Assert.True(scrape.Sum("messenger_inbox_recovery_duration_milliseconds_count") >= 1);
        // Bucket bounds follow the instrument's advice, not the SDK's seconds-scale defaults.
        Assert.Contains(scrape.Samples, s => s.Name == "messenger_journal_batch_rows_bucket" && s.Labels.GetValueOrDefault("le") == "4");
    }

    private static async Task<PrometheusScrape> ScrapeUntilAsync(Uri server, Func<PrometheusScrape, bool> ready)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var scrape = await PrometheusScrape.GetAsync(server);
            if (ready(scrape)) return scrape;
            if (DateTime.UtcNow > deadline)
                Assert.Fail("metrics never showed the expected series; last scrape had: " +
                            string.Join(", ", scrape.Samples.Select(s => s.Name).Distinct().Take(80)));
            await Task.Delay(200);
        }
    }
}
