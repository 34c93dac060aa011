using System.Diagnostics;
using System.Globalization;

namespace SessionInsights.Cli.Load;

/// <summary>
/// CPU time used by a process, so a run shows how the cores were split between the load generator
/// and the server when both share one machine.
/// </summary>
internal static class ProcessCpu
{
    /// <summary>Linux reports utime/stime in clock ticks of USER_HZ, which is 100 on every mainstream build.</summary>
    private const double TicksPerSecond = 100;

    public static TimeSpan Self()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>User + system time from <c>/proc/PID/stat</c>; null when it cannot be read.</summary>
    public static TimeSpan? Of(int pid) => Read(pid) is { } p ? TimeSpan.FromSeconds(p.Ticks / TicksPerSecond) : null;

    private static (string Name, long Ticks)? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may contain spaces and parentheses: it ends at the last ')'.
            var nameEnd = stat.LastIndexOf(')');
            var name = stat[(stat.IndexOf('(') + 1)..nameEnd];
            var fields = stat[(nameEnd + 2)..].Split(' ');
            // Fields 14 (utime) and 15 (stime) of the whole line are 12 and 13 after the name.
            return (name, long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            // The process ended, or this is not Linux.
            return null;
        }
    }

    /// <summary>
    /// CPU ticks of every process now running, by pid. Summed over processes rather than read from
    /// <c>/proc/stat</c>: in the VM this was written on, <c>/proc/stat</c> lost about half of the busy
    /// time of a bursty HTTP load (tick sampling), while per-process times are exact.
    /// </summary>
    public static Dictionary<int, (string Name, long Ticks)> AllProcesses()
    {
        var ticks = new Dictionary<int, (string Name, long Ticks)>();
        if (!Directory.Exists("/proc"))
        {
            return ticks;
        }
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } t)
            {
                ticks[pid] = t;
            }
        }
        return ticks;
    }

    /// <summary>CPU time all processes used between two <see cref="AllProcesses"/> snapshots (processes that ended in between are missed).</summary>
    public static TimeSpan Between(Dictionary<int, (string Name, long Ticks)> before, Dictionary<int, (string Name, long Ticks)> after) =>
        TimeSpan.FromSeconds(Deltas(before, after).Sum(d => d.Ticks) / TicksPerSecond);

    /// <summary>
    /// The busiest other processes between two snapshots, grouped by command name (e.g. all
    /// <c>postgres</c> backends together): who else took the cores during the run.
    /// </summary>
    public static IReadOnlyList<(string Name, TimeSpan Cpu)> BusiestOthers(
        Dictionary<int, (string Name, long Ticks)> before, Dictionary<int, (string Name, long Ticks)> after, IReadOnlySet<int> exclude, int top) =>
        [.. Deltas(before, after)
            .Where(d => !exclude.Contains(d.Pid))
            .GroupBy(d => d.Name, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Cpu: TimeSpan.FromSeconds(g.Sum(d => d.Ticks) / TicksPerSecond)))
            .Where(g => g.Cpu >= TimeSpan.FromSeconds(0.1))
            .OrderByDescending(g => g.Cpu)
            .Take(top)];

    private static IEnumerable<(int Pid, string Name, long Ticks)> Deltas(Dictionary<int, (string Name, long Ticks)> before, Dictionary<int, (string Name, long Ticks)> after) =>
        after.Select(kv => (kv.Key, kv.Value.Name, Math.Max(0, kv.Value.Ticks - (before.TryGetValue(kv.Key, out var b) ? b.Ticks : 0))));
}
