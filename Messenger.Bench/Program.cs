using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Messenger.Bench;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (RecoveryProbe.Requested(args)) return await RecoveryProbe.RunAsync(args);
if (JournalProbe.Requested(args)) return await JournalProbe.RunAsync(args);

var options = BenchOptions.Parse(args, out var error);
if (options is null)
{
    Console.Error.WriteLine($"error: {error}");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}
if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

// Thousands of sockets complete I/O in bursts at connect time and at the start of traffic; a warm
// pool avoids the thread-injection ramp (one thread per ~0.5 s) stalling receive loops. Async code
// needs few threads beyond that, so keep it modest on a small shared machine.
ThreadPool.GetMinThreads(out int minWorker, out int minIo);
int want = Math.Clamp(Environment.ProcessorCount * 8, 32, 256);
ThreadPool.SetMinThreads(Math.Max(minWorker, want), Math.Max(minIo, want));

// First SIGINT/SIGTERM (Ctrl+C, `timeout`): stop sending, drain briefly, report. Second: default (exit now).
using var abort = new CancellationTokenSource();
void OnSignal(PosixSignalContext ctx)
{
    if (abort.IsCancellationRequested) return;
    ctx.Cancel = true;
    Console.Error.WriteLine($"{ctx.Signal}: stopping");
    abort.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

if (options.Mode == BenchMode.RecoveryHttp)
{
    try
    {
        var (result, exitCode) = await new RecoveryHttpRun(options).RunAsync(abort.Token);
        Console.Out.WriteLine(result.ToJsonString());
        return exitCode;
    }
    catch (OperationCanceledException) when (abort.IsCancellationRequested)
    {
        Console.Error.WriteLine("interrupted");
        return 1;
    }
}

if (options.Mode == BenchMode.Receipts) return await ReceiptsRun.MainAsync(options, abort.Token);
if (options.Mode == BenchMode.Transfer) return await TransferRun.MainAsync(options, abort.Token);
if (options.Mode == BenchMode.Group) return await GroupRun.MainAsync(options, abort.Token);

using var api = new ApiClient(options.Url);
Report report;
try
{
    report = options.Mode switch
    {
        BenchMode.Idle => await new IdleProbe(options, api).RunAsync(abort.Token),
        BenchMode.Open => await new TrafficRun(options, api, new OpenLoopDriver(options.Rate)).RunAsync(abort.Token),
        _ => await new TrafficRun(options, api, new ClosedLoopDriver(options.Inflight)).RunAsync(abort.Token),
    };
}
catch (OperationCanceledException) when (abort.IsCancellationRequested)
{
    // Interrupted during setup: there is nothing meaningful to report.
    Console.Error.WriteLine("interrupted before traffic started");
    return 1;
}

report.Interrupted = abort.IsCancellationRequested;
report.WriteHumanSummary(Console.Error);
Console.Out.WriteLine(report.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
return report.ExitCode;
