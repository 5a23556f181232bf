using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Messenger.Node.Storage;

/// <summary>Why the journal's database could not be used, as an operator reads it in the log.</summary>
public enum StorageFailureCause { Unreachable, DiskFull, ReadOnly, Locked, Other }

/// <summary>
/// Classifies a database error of the journal (writer, reads, probes): what the log line names, and whether the
/// connection itself is gone (then the pool's other connections are as dead and are dropped with it).
/// </summary>
public static class StorageFailure
{
    public static StorageFailureCause CauseOf(Exception error) => Innermost(error) switch
    {
        // 53100 disk_full, 53000 insufficient_resources
        PostgresException { SqlState: "53100" or "53000" } => StorageFailureCause.DiskFull,
        // 25006 read_only_sql_transaction (a standby, default_transaction_read_only)
        PostgresException { SqlState: "25006" } => StorageFailureCause.ReadOnly,
        // 55P03 lock_not_available
        PostgresException { SqlState: "55P03" } => StorageFailureCause.Locked,
        // 57P01..57P03 shutdown / cannot connect now, class 08 connection exception
        PostgresException pg when pg.SqlState.StartsWith("57P", StringComparison.Ordinal) || pg.SqlState.StartsWith("08", StringComparison.Ordinal)
            => StorageFailureCause.Unreachable,
        // SQLITE_FULL
        SqliteException { SqliteErrorCode: 13 } => StorageFailureCause.DiskFull,
        // SQLITE_READONLY
        SqliteException { SqliteErrorCode: 8 } => StorageFailureCause.ReadOnly,
        // SQLITE_BUSY, SQLITE_LOCKED
        SqliteException { SqliteErrorCode: 5 or 6 } => StorageFailureCause.Locked,
        // SQLITE_IOERR, SQLITE_CANTOPEN
        SqliteException { SqliteErrorCode: 10 or 14 } => StorageFailureCause.Unreachable,
        NpgsqlException or SocketException or IOException or TimeoutException or ObjectDisposedException => StorageFailureCause.Unreachable,
        _ => StorageFailureCause.Other,
    };

    /// <summary>The connection (not a statement) failed: every pooled connection to that server is suspect.</summary>
    public static bool IsConnectionLost(Exception error) =>
        Innermost(error) is not PostgresException and (NpgsqlException or SocketException or IOException or TimeoutException)
        || Innermost(error) is PostgresException pg && (pg.SqlState.StartsWith("57P", StringComparison.Ordinal) || pg.SqlState.StartsWith("08", StringComparison.Ordinal));

    public static string Describe(StorageFailureCause cause) => cause switch
    {
        StorageFailureCause.Unreachable => "database unreachable",
        StorageFailureCause.DiskFull => "disk full",
        StorageFailureCause.ReadOnly => "database read-only",
        StorageFailureCause.Locked => "database locked",
        _ => "database error",
    };

    /// <summary>The error that says what happened: a server or SQLite error anywhere in the chain, else the first
    /// connection-level one (Npgsql and Akka wrap them).</summary>
    private static Exception Innermost(Exception error)
    {
        var chain = new List<Exception>();
        for (Exception? e = error; e is not null && chain.Count < 16; e = e is AggregateException { InnerExceptions.Count: > 0 } a ? a.InnerExceptions[0] : e.InnerException)
            chain.Add(e);
        return chain.FirstOrDefault(e => e is PostgresException or SqliteException)
               ?? chain.FirstOrDefault(e => e is NpgsqlException or SocketException or IOException or TimeoutException)
               ?? error;
    }
}
