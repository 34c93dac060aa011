using SessionInsights.Grains.Monitoring;

namespace SessionInsights.Domain.Tests.Monitoring;

public sealed class RingBufferTests
{
    [Fact]
    public void Keeps_the_latest_items_oldest_first()
    {
        var ring = new RingBuffer<int>(3);
        Assert.Empty(ring.ToArray());
        ring.Add(1);
        ring.Add(2);
        Assert.Equal([1, 2], ring.ToArray());
        ring.Add(3);
        ring.Add(4);
        ring.Add(5);
        Assert.Equal([3, 4, 5], ring.ToArray());
        Assert.Equal(5, ring.Written);
    }

    [Fact]
    public void Reads_from_a_number_on_skipping_what_was_overwritten_and_at_most_the_latest_asked_for()
    {
        var ring = new RingBuffer<int>(4);
        Assert.Empty(ring.ReadFrom(0, 10).Items);
        Assert.Equal(0, ring.ReadFrom(0, 10).First);
        for (var i = 0; i < 6; i++)
        {
            ring.Add(i);
        }
        var (items, first) = ring.ReadFrom(0, 10);
        Assert.Equal([2, 3, 4, 5], items);
        Assert.Equal(2, first);
        (items, first) = ring.ReadFrom(4, 10);
        Assert.Equal([4, 5], items);
        Assert.Equal(4, first);
        (items, first) = ring.ReadFrom(0, 1);
        Assert.Equal([5], items);
        Assert.Equal(5, first);
        (items, first) = ring.ReadFrom(6, 10);
        Assert.Empty(items);
        Assert.Equal(6, first);
    }

    [Fact]
    public void Log_ring_returns_at_most_the_latest_lines_asked_for()
    {
        var logs = new LogRing(capacity: 10);
        for (var i = 0; i < 25; i++)
        {
            logs.Add(DateTimeOffset.UnixEpoch.AddSeconds(i), Microsoft.Extensions.Logging.LogLevel.Information, "cat", $"line {i}");
        }
        Assert.Equal(["line 22", "line 23", "line 24"], logs.Latest(3).Select(l => l.Message));
        Assert.Equal(10, logs.Latest(100).Length);
    }

    [Fact]
    public void Ring_logger_provider_copies_messages_with_their_exception()
    {
        var logs = new LogRing();
        using var provider = new RingLoggerProvider(logs, TimeProvider.System);
        var logger = provider.CreateLogger("Some.Category");
        Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(logger, new InvalidOperationException("boom"), "user {User} failed", "u1");
        var line = Assert.Single(logs.Latest(10));
        Assert.Equal("Warning", line.Level);
        Assert.Equal("Some.Category", line.Category);
        Assert.Equal("user u1 failed (InvalidOperationException: boom)", line.Message);
    }
}
