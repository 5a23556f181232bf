namespace Messenger.Bench;

/// <summary>Generates send traffic on open connections until <c>stop</c> fires (end of the measured window or Ctrl+C).</summary>
public interface ITrafficDriver
{
    Task RunAsync(IReadOnlyList<BenchConnection> connections, RunClock clock, CancellationToken stop);
}
