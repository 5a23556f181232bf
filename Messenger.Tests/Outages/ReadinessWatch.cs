using System.Collections.Concurrent;

namespace Messenger.Tests.Outages;

/// <summary>Polls <c>GET /health/ready</c> every 200 ms and keeps every answer's status (0: no answer within 5 s).</summary>
public sealed class ReadinessWatch : IAsyncDisposable
{
    private readonly ConcurrentQueue<(DateTime At, int Status)> _answers = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ReadinessWatch(Uri node) => _loop = Task.Run(() => PollAsync(node));

    public bool Saw(int status, DateTime after) => _answers.Any(a => a.Status == status && a.At > after);

    public DateTime First(int status, DateTime after) => _answers.Where(a => a.Status == status && a.At > after).Min(a => a.At);

    private async Task PollAsync(Uri node)
    {
        using var http = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(5) };
        while (!_stop.IsCancellationRequested)
        {
            var status = 0;
            try
            {
                using var response = await http.GetAsync("/health/ready", _stop.Token);
                status = (int)response.StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            _answers.Enqueue((DateTime.UtcNow, status));
            try
            {
                await Task.Delay(200, _stop.Token); // polling interval
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        _stop.Dispose();
    }
}
