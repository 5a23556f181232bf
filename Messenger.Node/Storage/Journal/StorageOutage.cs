using System.Diagnostics;
using Akka.Event;

namespace Messenger.Node.Storage.Journal;

/// <summary>
/// The writer's view of an outage: one log line when commits start failing (naming the cause: database unreachable,
/// disk full, read-only, locked), one when the cause changes, one when commits succeed again (with how long it took).
/// Not a line per failed batch: while the database is down every batch fails. Used by the writer loop only.
/// </summary>
internal sealed class StorageOutage(JournalKind kind, ILoggingAdapter? log)
{
    private long? _since;
    private StorageFailureCause _cause;

    public void Failed(Exception error)
    {
        var cause = StorageFailure.CauseOf(error);
        if (_since is not null && cause == _cause) return;
        _since ??= Stopwatch.GetTimestamp();
        _cause = cause;
        log?.Error("Journal cannot store ({0}, {1}): {2}. Sends, reads and recoveries that need it are answered unavailable " +
                   "and /health/ready says 503 until a commit succeeds again", StorageFailure.Describe(cause), kind,
            error.GetBaseException().Message);
    }

    public void Succeeded()
    {
        if (_since is not { } since) return;
        _since = null;
        log?.Info("Journal stores again ({0} ended after {1:F1} s)", StorageFailure.Describe(_cause), Stopwatch.GetElapsedTime(since).TotalSeconds);
    }
}
