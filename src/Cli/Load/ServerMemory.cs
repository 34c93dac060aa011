using System.Globalization;

namespace SessionInsights.Cli.Load;

/// <summary>A server process's resident memory, from <c>/proc/PID/status</c> (Linux only).</summary>
internal sealed record ServerMemory(int Pid, long? PeakResidentBytes, long? ResidentBytes)
{
    /// <summary>Null when the process or <c>/proc</c> is not there.</summary>
    public static ServerMemory? Read(int pid)
    {
        var path = $"/proc/{pid}/status";
        try
        {
            long? hwm = null, rss = null;
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    hwm = Kilobytes(line);
                }
                else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kilobytes(line);
                }
            }
            return new ServerMemory(pid, hwm, rss);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary><c>VmHWM:	  123456 kB</c> → bytes.</summary>
    private static long? Kilobytes(string line)
    {
        var parts = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : null;
    }
}
