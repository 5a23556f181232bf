using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Messenger.Bench;

/// <summary>
/// A real Messenger.Web process on a data dir, started from its built dll the way an operator starts it, and
/// stopped with SIGTERM (graceful shutdown, as systemd or Kubernetes stop it). Its output goes to server.log in
/// the data dir.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly StreamWriter _log;

    public Uri Url { get; }
    public int Pid => _process.Id;

    private ServerProcess(Process process, StreamWriter log, Uri url)
    {
        _process = process;
        _log = log;
        Url = url;
    }

    /// <summary>Messenger.Web.dll built beside this bench (same configuration), or null when it is not there.</summary>
    public static string? FindWebDll()
    {
        // AppContext.BaseDirectory is .../Messenger.Bench/bin/<Configuration>/<tfm>/
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfmDir.Parent?.Name ?? "Release";
        var solution = tfmDir.Parent?.Parent?.Parent?.Parent?.FullName;
        if (solution is null) return null;
        var dll = Path.Combine(solution, "Messenger.Web", "bin", configuration, tfmDir.Name, "Messenger.Web.dll");
        return File.Exists(dll) ? dll : null;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the server and waits until <c>GET /health/ready</c> answers 200.</summary>
    public static async Task<ServerProcess> StartAsync(string webDll, string dataDir, int port, IEnumerable<string> extraArgs,
        IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        var url = new Uri($"http://127.0.0.1:{port}/");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dataDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment) info.Environment[name] = value;
        info.ArgumentList.Add(webDll);
        foreach (var a in new[] { "--urls", $"http://127.0.0.1:{port}", "--Messenger:DataDir", dataDir }.Concat(extraArgs)) info.ArgumentList.Add(a);

        var log = new StreamWriter(Path.Combine(dataDir, "server.log"), append: true) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        if (!process.Start()) throw new InvalidOperationException("could not start dotnet " + webDll);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, log, url);
        await server.WaitReadyAsync(TimeSpan.FromMinutes(5), ct).ConfigureAwait(false);
        return server;
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null) return;
        lock (log) log.WriteLine(line);
    }

    private async Task WaitReadyAsync(TimeSpan patience, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.GetTimestamp() + RunClock.SecondsToTicks(patience.TotalSeconds);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the server exited with code {_process.ExitCode} before it was ready (see server.log)");
            try
            {
                using var r = await http.GetAsync("health/ready", ct).ConfigureAwait(false);
                if (r.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
            }
            if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException("the server did not become ready");
            await Task.Delay(100, ct).ConfigureAwait(false);
        }
    }

    /// <summary>SIGTERM, then waits for the process to finish its graceful shutdown; SIGKILL after <paramref name="patience"/>.</summary>
    public async Task<bool> StopAsync(TimeSpan patience)
    {
        if (_process.HasExited) return true;
        if (Kill(_process.Id, SigTerm) != 0) throw new InvalidOperationException("kill(SIGTERM) failed: errno " + Marshal.GetLastPInvokeError());
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        finally
        {
            _process.Dispose();
            lock (_log) _log.Dispose();
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
