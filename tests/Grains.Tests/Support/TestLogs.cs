using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SessionInsights.Grains.Tests.Support;

/// <summary>Warnings and errors of every silo of a cluster, to explain a failed wait.</summary>
internal sealed class TestLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public string Tail(int max = 30)
    {
        var all = _lines.ToArray();
        return all.Length == 0 ? "(no warnings logged)" : string.Join(Environment.NewLine, all[Math.Max(0, all.Length - max)..]);
    }

    public void Dispose()
    {
    }

    private sealed class Logger(TestLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            // Orleans' start-up notes about server GC say nothing about a test.
            if (IsEnabled(logLevel) && !message.Contains("ServerGC", StringComparison.Ordinal))
            {
                logs._lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {message}{(exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})")}");
            }
        }
    }
}
