using SessionInsights.Domain.Backtests;

namespace SessionInsights.Domain.Tests.Backtests;

public class BacktestPeriodTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 31, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Defaults_to_the_last_seven_days()
    {
        Assert.Null(BacktestPeriod.TryParse(null, null, Now, out var p));
        Assert.Equal(new BacktestPeriod(Now.AddDays(-7), Now), p);
    }

    [Fact]
    public void A_given_to_moves_the_default_from()
    {
        Assert.Null(BacktestPeriod.TryParse(null, "2026-02-10T00:00:00Z", Now, out var p));
        Assert.Equal(new BacktestPeriod(new(2026, 2, 3, 0, 0, 0, TimeSpan.Zero), new(2026, 2, 10, 0, 0, 0, TimeSpan.Zero)), p);
    }

    [Fact]
    public void Times_with_an_offset_become_utc_and_without_one_are_utc()
    {
        Assert.Null(BacktestPeriod.TryParse("2026-03-01T02:00:00+02:00", "2026-03-02T00:00:00", Now, out var p));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), p.From);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero), p.To);
    }

    [Theory]
    [InlineData("2026-03-02T00:00:00Z", "2026-03-02T00:00:00Z", "from")]
    [InlineData("2026-03-03T00:00:00Z", "2026-03-02T00:00:00Z", "from")]
    [InlineData("2026-01-01T00:00:00Z", "2026-01-31T00:00:01Z", "from")]
    [InlineData("yesterday", null, "from")]
    [InlineData(null, "soon", "to")]
    public void Bad_periods_name_their_field(string? from, string? to, string field)
    {
        Assert.Equal(field, BacktestPeriod.TryParse(from, to, Now, out _)?.Field);
    }

    [Fact]
    public void Exactly_thirty_days_is_allowed()
    {
        Assert.Null(BacktestPeriod.TryParse("2026-01-01T00:00:00Z", "2026-01-31T00:00:00Z", Now, out _));
    }
}
