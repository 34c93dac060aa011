using System.Diagnostics;

namespace SessionInsights.Grains.Monitoring;

/// <summary>This process's CPU use since the previous sample (percent of one core), memory and uptime.</summary>
public sealed class ProcessSampler
{
    private readonly DateTime _started = Process.GetCurrentProcess().StartTime.ToUniversalTime();
    private TimeSpan _lastCpu = Process.GetCurrentProcess().TotalProcessorTime;
    private long _lastAt = Stopwatch.GetTimestamp();

    public (double UptimeSeconds, double CpuPercent, long WorkingSet, long GcHeap) Sample()
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var now = Stopwatch.GetTimestamp();
        var wall = Stopwatch.GetElapsedTime(_lastAt, now);
        var percent = wall > TimeSpan.Zero ? (cpu - _lastCpu) / wall * 100.0 : 0;
        _lastCpu = cpu;
        _lastAt = now;
        return ((DateTime.UtcNow - _started).TotalSeconds, Math.Round(percent, 1), process.WorkingSet64, GC.GetTotalMemory(false));
    }
}
