using System.Diagnostics;

namespace Messenger.Bench;

/// <summary>Phase boundaries of a traffic run, as Stopwatch timestamps (cheap to compare in hot paths).</summary>
public sealed class RunClock
{
    public long StartTs { get; }
    public long WarmupEndTs { get; }
    public long MeasureEndTs { get; }

    // Set when sending stops, which is earlier than MeasureEndTs after Ctrl+C.
    private long _stoppedTs = long.MaxValue;

    public RunClock(double warmupSec, double durationSec)
    {
        StartTs = Stopwatch.GetTimestamp();
        WarmupEndTs = StartTs + SecondsToTicks(warmupSec);
        MeasureEndTs = WarmupEndTs + SecondsToTicks(durationSec);
    }

    public static long SecondsToTicks(double s) => (long)(s * Stopwatch.Frequency);
    public static double TicksToSeconds(long t) => t / (double)Stopwatch.Frequency;

    public long EffectiveEndTs => Math.Min(MeasureEndTs, Volatile.Read(ref _stoppedTs));

    /// <summary>True for timestamps inside the measured window.</summary>
    public bool InWindow(long ts) => ts >= WarmupEndTs && ts < EffectiveEndTs;

    public void MarkStopped(long ts) => Volatile.Write(ref _stoppedTs, Math.Min(ts, MeasureEndTs));

    /// <summary>Length of the measured window actually run (shorter when interrupted).</summary>
    public double MeasuredSeconds => Math.Max(0, TicksToSeconds(EffectiveEndTs - WarmupEndTs));

    public double ElapsedSeconds => TicksToSeconds(Stopwatch.GetTimestamp() - StartTs);

    public string PhaseAt(long ts) => ts < WarmupEndTs ? "warmup" : ts < EffectiveEndTs ? "measure" : "drain";
}
