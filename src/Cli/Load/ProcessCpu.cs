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
    public static TimeSpan? Of(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may contain spaces and parentheses: count fields after its last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Fields 14 (utime) and 15 (stime) of the whole line are 12 and 13 after the name.
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>
    /// Busy and total jiffies of the whole machine from <c>/proc/stat</c> (busy excludes idle and
    /// iowait); null when it cannot be read. Counts everything: server, database, load generator, others.
    /// </summary>
    public static (long Busy, long Total)? Machine()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var total = values.Sum();
            return (total - values[3] - values[4], total);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
