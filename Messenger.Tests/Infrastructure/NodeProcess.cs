using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Messenger.Tests.Infrastructure;

/// <summary>
/// One Messenger node in its own OS process, started from the build output exactly as an operator starts it:
/// <c>dotnet Messenger.Node.dll --Messenger:...</c> (headless shard host) or <c>dotnet Messenger.Web.dll --urls ...</c>.
/// Output goes to a log file; <see cref="Kill"/> is SIGKILL (kill -9), <see cref="Terminate"/> SIGTERM.
/// Every process still running when the test process exits is killed.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    static NodeProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in Running.Values)
                try { process.Kill(entireProcessTree: true); } catch (Exception) { }
        };
    }

    private readonly Process _process;

    private NodeProcess(string name, Process process, string logPath, int akkaPort, Uri? baseUrl)
    {
        Name = name;
        _process = process;
        LogPath = logPath;
        AkkaPort = akkaPort;
        BaseUrl = baseUrl;
        Running[process.Id] = process;
    }

    public string Name { get; }
    public string LogPath { get; }
    public int AkkaPort { get; }

    /// <summary>HTTP address of a web node; null for a headless shard host.</summary>
    public Uri? BaseUrl { get; }

    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public string SeedAddress => $"127.0.0.1:{AkkaPort}";

    /// <summary>Starts <c>dotnet Messenger.Node.dll</c> (roles default to shard).</summary>
    public static NodeProcess StartShardHost(string name, string logDir, int akkaPort, IEnumerable<string> args) =>
        Start(name, "Messenger.Node", logDir, akkaPort, null, args);

    /// <summary>Starts <c>dotnet Messenger.Web.dll --urls http://127.0.0.1:PORT</c>.</summary>
    public static NodeProcess StartWeb(string name, string logDir, int akkaPort, IEnumerable<string> args)
    {
        var baseUrl = new Uri($"http://127.0.0.1:{MessengerServer.FreePort()}");
        return Start(name, "Messenger.Web", logDir, akkaPort, baseUrl, new[] { "--urls", baseUrl.ToString().TrimEnd('/') }.Concat(args));
    }

    /// <summary>
    /// The default mode, as <c>dotnet run --project Messenger.Web</c> starts it: one process that is shard host and web
    /// node, SQLite under <paramref name="dataDir"/>, HTTP on <paramref name="baseUrl"/> (a restart reuses both).
    /// </summary>
    public static NodeProcess StartDefaultMode(string name, string logDir, string dataDir, Uri baseUrl, params string[] extra) =>
        Start(name, "Messenger.Web", logDir, 0, baseUrl,
            new[] { "--urls", baseUrl.ToString().TrimEnd('/'), "--Messenger:DataDir", dataDir }.Concat(extra));

    private static NodeProcess Start(string name, string project, string logDir, int akkaPort, Uri? baseUrl, IEnumerable<string> args)
    {
        var dll = BuildOutput(project);
        var logPath = Path.Combine(logDir, $"{name}.log");
        // The shell redirects output to the log file, then becomes dotnet (exec): the pid is the node's. A watchdog
        // beside it kills the node (that pid only) if this test process dies without disposing it (e.g. an aborted run).
        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(
            "log=\"$1\"; owner=\"$2\"; shift 2; node=$$; " +
            "( while kill -0 \"$owner\" 2>/dev/null && kill -0 \"$node\" 2>/dev/null; do sleep 2; done; " +
            "kill -0 \"$owner\" 2>/dev/null || kill -9 \"$node\" 2>/dev/null ) >/dev/null 2>&1 </dev/null & " +
            "exec \"$@\" >>\"$log\" 2>&1 </dev/null");
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(logPath);
        start.ArgumentList.Add(Environment.ProcessId.ToString());
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_TieredPGO"] = "0";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        File.AppendAllText(logPath, $"# {DateTime.UtcNow:O} dotnet {dll} {string.Join(' ', start.ArgumentList.Skip(7))}\n");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {project}");
        return new NodeProcess(name, process, logPath, akkaPort, baseUrl);
    }

    /// <summary>The project's own build output next to this test assembly's (same configuration and framework).</summary>
    public static string BuildOutput(string project)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var dir = testOutput;
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Messenger.sln"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException("repository root (Messenger.sln) not found above " + testOutput);
        var dll = Path.Combine(dir.FullName, project, "bin", configuration, framework, project + ".dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} not found: build {project} first");
        return dll;
    }

    /// <summary>Polls /health/ready of a web node until it answers 200.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        if (BaseUrl is null) throw new InvalidOperationException($"{Name} has no HTTP endpoint");
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            ThrowIfExited();
            try
            {
                var response = await http.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{Name} not ready after {timeout}; log: {LogPath}\n{Tail()}");
            await Task.Delay(200); // polling interval of a bounded wait
        }
    }

    /// <summary>Waits until the node's log contains <paramref name="text"/>.</summary>
    public async Task WaitForLogAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!ReadLog().Contains(text, StringComparison.Ordinal))
        {
            ThrowIfExited();
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{Name}: no '{text}' in its log after {timeout}\n{Tail()}");
            await Task.Delay(200); // polling interval of a bounded wait
        }
    }

    public string ReadLog()
    {
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public string Tail(int lines = 40) => string.Join('\n', ReadLog().Split('\n').TakeLast(lines));

    /// <summary>kill -9: no shutdown hook runs, the cluster only learns from the failure detector.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill();
    }

    /// <summary>SIGTERM: the node leaves the cluster gracefully (CoordinatedShutdown hands its shards over) and exits.</summary>
    public void Terminate()
    {
        if (!_process.HasExited && kill(_process.Id, SigTerm) != 0)
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Waits for the process to exit; returns its exit code, or null when it was still running at the timeout.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private void ThrowIfExited()
    {
        if (_process.HasExited)
            throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}; log: {LogPath}\n{Tail()}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await WaitForExitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception)
        {
        }
        Running.TryRemove(_process.Id, out _);
        _process.Dispose();
    }

    private const int SigTerm = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
