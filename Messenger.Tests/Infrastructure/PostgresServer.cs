using System.Diagnostics;
using Npgsql;

namespace Messenger.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL server for one test run: <c>initdb</c> in a temp directory, started with <c>pg_ctl</c> on a free
/// 127.0.0.1 port (Unix sockets in the temp directory too, fsync on: durability is what the tests check), stopped and
/// deleted on dispose. Needs the server binaries under /usr/lib/postgresql/*/bin (scripts/install-test-deps.sh).
/// PostgreSQL refuses to run as root, so as root it runs as the <c>postgres</c> OS user of the Debian package.
/// Shared by every test of the <see cref="PostgresCollection"/>; each test takes a database of its own.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string Superuser = "postgres";
    private string? _dir;
    private string? _bin;
    private int _databases;

    public int Port { get; private set; }
    public string Host => "127.0.0.1";

    /// <summary>The server's log (for diagnostics when something fails).</summary>
    public string LogPath => Path.Combine(_dir!, "server.log");

    public async Task InitializeAsync()
    {
        _bin = FindBinDirectory();
        var asRoot = Environment.UserName == "root" || geteuid() == 0;
        await RemoveOrphansAsync(_bin, asRoot);
        _dir = TempDirs.Create("messenger-pg");
        await File.WriteAllTextAsync(Path.Combine(_dir, OwnerFile), Environment.ProcessId.ToString());
        if (asRoot) await RunAsync("chown", ["-R", $"{Superuser}:", _dir], asPostgres: false);
        var data = Path.Combine(_dir, "data");
        await RunAsync(Path.Combine(_bin, "initdb"),
            ["-D", data, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], asRoot);

        // A free port can be taken between the probe and the bind: try a few.
        for (var attempt = 1; ; attempt++)
        {
            Port = MessengerServer.FreePort();
            try
            {
                await StartAsync();
                break;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
    }

    private static bool AsRoot => Environment.UserName == "root" || geteuid() == 0;

    /// <summary>
    /// Starts the server on its data directory and port (again, after <see cref="StopImmediatelyAsync"/>: the same
    /// databases on the same address, as an operator restarts it). Returns once it accepts connections.
    /// </summary>
    public async Task StartAsync()
    {
        var serverOptions = string.Join(' ',
            $"-p {Port}", $"-k {_dir}", "-c listen_addresses=127.0.0.1", "-c fsync=on", "-c synchronous_commit=on",
            "-c max_connections=400", "-c shared_buffers=64MB");
        await RunAsync(Path.Combine(_bin!, "pg_ctl"),
            ["-D", Path.Combine(_dir!, "data"), "-l", LogPath, "-o", serverOptions, "-w", "-t", "60", "start"], AsRoot);
    }

    /// <summary><c>pg_ctl stop -m immediate</c>: every backend dies at once, as in a crash (crash recovery on the next start).</summary>
    public Task StopImmediatelyAsync() =>
        RunAsync(Path.Combine(_bin!, "pg_ctl"), ["-D", Path.Combine(_dir!, "data"), "-m", "immediate", "-w", "-t", "30", "stop"], AsRoot);

    /// <summary>A new empty database; returns its connection string (what <c>Messenger:ConnectionString</c> takes).</summary>
    public async Task<string> CreateDatabaseAsync(string? prefix = null)
    {
        var unique = $"{prefix ?? "t"}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}".ToLowerInvariant();
        var name = unique[..Math.Min(unique.Length, 48)];
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{name}\"";
            await command.ExecuteNonQueryAsync();
        }
        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Username = Superuser,
            Database = database,
            Pooling = true,
            MaxPoolSize = 50,
            Timeout = 15,
        }.ToString();

    public async Task DisposeAsync()
    {
        if (_dir is null) return;
        try
        {
            var asRoot = Environment.UserName == "root" || geteuid() == 0;
            if (_bin is not null && Port != 0)
                await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "-t", "30", "stop"], asRoot);
        }
        catch (Exception)
        {
            // Already gone, or never started: deleting the directory is what matters.
        }
        TempDirs.TryDelete(_dir);
    }

    private const string OwnerFile = "owner.pid";

    /// <summary>
    /// Servers of earlier test runs whose test process died before disposing them (killed, crashed): stopped and
    /// removed. Only directories this class created (with an owner.pid of a process that is gone) are touched.
    /// </summary>
    private static async Task RemoveOrphansAsync(string bin, bool asRoot)
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), "messenger-pg-*"))
        {
            var owner = Path.Combine(dir, OwnerFile);
            if (!File.Exists(owner) || !int.TryParse(File.ReadAllText(owner).Trim(), out var pid) || IsAlive(pid)) continue;
            try
            {
                if (File.Exists(Path.Combine(dir, "data", "postmaster.pid")))
                    await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", Path.Combine(dir, "data"), "-m", "immediate", "-w", "-t", "30", "stop"], asRoot);
            }
            catch (Exception)
            {
                // Not running any more: removing the directory is enough.
            }
            TempDirs.TryDelete(dir);
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The newest PostgreSQL found under /usr/lib/postgresql/*/bin (Debian layout).</summary>
    public static string FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Dir, "initdb")) && File.Exists(Path.Combine(d.Dir, "pg_ctl")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Dir)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: run scripts/install-test-deps.sh");
    }

    private static async Task RunAsync(string file, string[] args, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", Superuser, "--", file }) start.ArgumentList.Add(a);
        }
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        // pg_ctl start leaves the server running with our pipes inherited unless it is given a log file (it is).
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({process.ExitCode}): {await stderr}\n{await stdout}");
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern uint geteuid();
}

/// <summary>Every test class that needs PostgreSQL joins this collection: one server per test run.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "Postgres";
}
