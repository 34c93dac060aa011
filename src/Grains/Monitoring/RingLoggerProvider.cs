using Microsoft.Extensions.Logging;

namespace SessionInsights.Grains.Monitoring;

/// <summary>
/// An <see cref="ILoggerProvider"/> that copies every log line the host's filters let through into
/// the node's <see cref="LogRing"/>: the dashboard's log tail without a log shipper.
/// </summary>
public sealed class RingLoggerProvider(LogRing ring, TimeProvider time) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new RingLogger(ring, time, categoryName);

    public void Dispose()
    {
    }

    private sealed class RingLogger(LogRing ring, TimeProvider time, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            if (exception is not null)
            {
                message += $" ({exception.GetType().Name}: {exception.Message})";
            }
            ring.Add(time.GetUtcNow(), logLevel, category, message);
        }
    }
}
