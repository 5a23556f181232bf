using System.Security.Cryptography;
using Messenger.Node.Storage;

namespace Messenger.Node.Hosting;

/// <summary>
/// The token signing key: from Messenger:Auth:SigningKey when set; otherwise kept where every node and every restart
/// finds the same one (the SQLite data dir, or a settings table in the shared PostgreSQL database).
/// </summary>
public static class SigningKeyStore
{
    public static async Task<byte[]> LoadOrCreateAsync(MessengerOptions options, JournalDatabase database)
    {
        if (!string.IsNullOrWhiteSpace(options.Auth.SigningKey))
        {
            var configured = Convert.FromBase64String(options.Auth.SigningKey);
            if (configured.Length < 32) throw new InvalidOperationException("Messenger:Auth:SigningKey must be at least 32 bytes");
            return configured;
        }
        return database.Kind == JournalKind.Sqlite
            ? await FromDataDirAsync(options.DataDir)
            : await FromDatabaseAsync(database);
    }

    private static async Task<byte[]> FromDataDirAsync(string dataDir)
    {
        var path = Path.Combine(dataDir, "signing.key");
        if (File.Exists(path)) return Convert.FromBase64String((await File.ReadAllTextAsync(path)).Trim());
        var key = RandomNumberGenerator.GetBytes(32);
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, Convert.ToBase64String(key));
        File.Move(temp, path, overwrite: false);
        return key;
    }

    private static async Task<byte[]> FromDatabaseAsync(JournalDatabase database)
    {
        await using var connection = await database.OpenAsync();
        // Nodes may start together: one transaction under the schema lock, so CREATE TABLE cannot race
        // and the first writer wins; every node then reads the same key.
        await using var transaction = await connection.BeginTransactionAsync();
        await Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({JournalDatabase.SchemaLockKey})");
        await Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS messenger_settings (name varchar(64) PRIMARY KEY, value text NOT NULL)");
        await Execute(connection, transaction,
            "INSERT INTO messenger_settings (name, value) VALUES ('signing-key', @v) ON CONFLICT (name) DO NOTHING",
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT value FROM messenger_settings WHERE name = 'signing-key'";
        var key = Convert.FromBase64String((string)(await read.ExecuteScalarAsync())!);
        await transaction.CommitAsync();
        return key;
    }

    private static async Task Execute(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string sql, string? value = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        if (value is not null)
        {
            var p = command.CreateParameter();
            p.ParameterName = "v";
            p.Value = value;
            command.Parameters.Add(p);
        }
        await command.ExecuteNonQueryAsync();
    }
}
