using System.Diagnostics;
using Akka.Event;

namespace Messenger.Node.Storage.Journal;

/// <summary>
/// The writer's view of an outage: one log line when commits start failing (naming the cause: database unreachable,
/// disk full, read-only, locked), one when the cause changes, one when commits succeed again (with how long it took).
/// Not a line per failed batch: while the database is down every batch fails.
/// </summary>
internal sealed class StorageOutage(JournalKind kind, ILoggingAdapter? log)
{
    private readonly object _gate = new();
    private long? _since;
    private StorageFailureCause _cause;
    private string? _current;

    public string? Current => Volatile.Read(ref _current);

    public void Failed(Exception error)
    {
        var cause = StorageFailure.CauseOf(error);
        lock (_gate)
        {
            if (_since is not null && cause == _cause) return;
            _since ??= Stopwatch.GetTimestamp();
            _cause = cause;
            Volatile.Write(ref _current, $"{StorageFailure.Describe(cause)}: {error.GetBaseException().Message}");
        }
        log?.Error("Journal cannot store ({0}, {1}): {2}. Sends, reads and recoveries that need it are answered unavailable " +
                   "and /health/ready says 503 until a commit succeeds again", StorageFailure.Describe(cause), kind,
            error.GetBaseException().Message);
    }

    public void Succeeded()
    {
        if (Volatile.Read(ref _current) is null) return;
        long since;
        lock (_gate)
        {
            if (_since is null) return;
            since = _since.Value;
            _since = null;
            Volatile.Write(ref _current, null);
        }
        log?.Info("Journal stores again ({0} ended after {1:F1} s)", StorageFailure.Describe(_cause), Stopwatch.GetElapsedTime(since).TotalSeconds);
    }
}
