using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Messenger.Node.Attachments;

/// <summary>How long an upload no message carries is kept, and how often the sweep looks (Messenger:Attachments).</summary>
public sealed record AttachmentSettings(TimeSpan UncarriedLifetime, TimeSpan SweepEvery, int ThumbnailConcurrency)
{
    public static AttachmentSettings Default { get; } = new(TimeSpan.FromHours(24), TimeSpan.FromMinutes(10), 2);
}

/// <summary>
/// Removes uploads that no message carried within <see cref="AttachmentSettings.UncarriedLifetime"/>, periodically.
/// Every web node runs one; they may race on the same rows, which is harmless (deletes are conditional).
/// </summary>
public sealed class AttachmentSweeper(AttachmentStore store, AttachmentSettings settings, ILogger<AttachmentSweeper> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.SweepEvery);
        try
        {
            do
            {
                try
                {
                    var removed = await store.SweepAsync(DateTime.UtcNow - settings.UncarriedLifetime, stoppingToken);
                    if (removed > 0) log.LogInformation("Removed {Count} uploads no message carried", removed);
                }
                catch (DbException e)
                {
                    log.LogWarning(e, "Attachment sweep failed; retried at the next one");
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
