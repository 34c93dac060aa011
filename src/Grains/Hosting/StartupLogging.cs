using Microsoft.Extensions.Logging;

namespace SessionInsights.Grains.Hosting;

public static class StartupLogging
{
    /// <summary>
    /// Without --verbose, the host's own report of a failed start (with a stack trace) is left out:
    /// Program prints the cause in one line instead. (The host logs nothing else above Debug.)
    /// </summary>
    public static ILoggingBuilder AddStartupFailureFilter(this ILoggingBuilder logging, bool verbose)
    {
        if (!verbose)
        {
            logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        }
        return logging;
    }
}
