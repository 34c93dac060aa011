using System.Text;
using SessionInsights.Domain.Events;

namespace SessionInsights.Domain.Tests.Events;

public class TimestampParserTests
{
    private static DateTimeOffset Parse(string text)
    {
        Assert.True(TimestampParser.TryParse(text, out var value), $"'{text}' should parse");
        Assert.True(TimestampParser.TryParse(Encoding.UTF8.GetBytes(text), out var fromUtf8));
        Assert.Equal(value, fromUtf8);
        Assert.Equal(TimeSpan.Zero, value.Offset);
        return value;
    }

    [Fact]
    public void PostHogExportFormat_SpaceAndNoOffset_IsUtc()
    {
        Assert.Equal(new DateTimeOffset(2025, 12, 8, 21, 48, 8, 975, TimeSpan.Zero), Parse("2025-12-08 21:48:08.975000"));
    }

    [Theory]
    [InlineData("2025-12-08T21:48:08Z")]
    [InlineData("2025-12-08T21:48:08")]
    [InlineData("2025-12-08 21:48:08")]
    [InlineData("2025-12-08 21:48:08Z")]
    [InlineData("2025-12-08t21:48:08z")]
    [InlineData("2025-12-08T21:48:08+00:00")]
    [InlineData("2025-12-08T23:48:08+02:00")]
    [InlineData("2025-12-08T23:48:08+0200")]
    [InlineData("2025-12-08T23:48:08+02")]
    [InlineData("2025-12-08T16:18:08-05:30")]
    [InlineData("2025-12-09T11:48:08+14:00")]
    public void SeparatorsAndOffsets_AllGiveTheSameInstant(string text)
    {
        Assert.Equal(new DateTimeOffset(2025, 12, 8, 21, 48, 8, TimeSpan.Zero), Parse(text));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData(".1", 1_000_000)]
    [InlineData(".12", 1_200_000)]
    [InlineData(".123", 1_230_000)]
    [InlineData(".1234", 1_234_000)]
    [InlineData(".12345", 1_234_500)]
    [InlineData(".123456", 1_234_560)]
    [InlineData(".1234567", 1_234_567)]
    public void FractionOfZeroToSevenDigits_IsExactToTheTick(string fraction, long ticks)
    {
        var whole = new DateTimeOffset(2025, 12, 8, 21, 48, 8, TimeSpan.Zero);
        Assert.Equal(whole.AddTicks(ticks), Parse($"2025-12-08T21:48:08{fraction}Z"));
        Assert.Equal(whole.AddTicks(ticks), Parse($"2025-12-08 21:48:08{fraction}"));
    }

    [Fact]
    public void SecondsMayBeOmitted()
    {
        Assert.Equal(new DateTimeOffset(2025, 12, 8, 21, 48, 0, TimeSpan.Zero), Parse("2025-12-08T21:48Z"));
    }

    [Fact]
    public void LeapDayOfALeapYear_Parses()
    {
        Assert.Equal(new DateTimeOffset(2024, 2, 29, 0, 0, 0, TimeSpan.Zero), Parse("2024-02-29T00:00:00Z"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2025-12-08")]
    [InlineData("2025-12-08T")]
    [InlineData("2025-12-08T21")]
    [InlineData("2025/12/08 21:48:08")]
    [InlineData("08-12-2025 21:48:08")]
    [InlineData("2025-12-08_21:48:08")]
    [InlineData("2025-12-08  21:48:08")]
    [InlineData(" 2025-12-08T21:48:08Z")]
    [InlineData("2025-12-08T21:48:08Z ")]
    [InlineData("2025-12-08T21:48:08.Z")]
    [InlineData("2025-12-08T21:48:08.12345678Z")]
    [InlineData("2025-12-08T21:48:08,975Z")]
    [InlineData("2025-13-01T00:00:00Z")]
    [InlineData("2025-00-01T00:00:00Z")]
    [InlineData("2025-12-00T00:00:00Z")]
    [InlineData("2025-02-29T00:00:00Z")]
    [InlineData("2025-04-31T00:00:00Z")]
    [InlineData("2025-12-08T24:00:00Z")]
    [InlineData("2025-12-08T21:60:00Z")]
    [InlineData("2025-12-08T21:48:60Z")]
    [InlineData("2025-12-08T21:48:08+15:00")]
    [InlineData("2025-12-08T21:48:08+02:60")]
    [InlineData("2025-12-08T21:48:08+2")]
    [InlineData("2025-12-08T21:48:08+02:00:00")]
    [InlineData("2025-12-08T21:48:08ZZ")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("9999-12-31T23:59:59-01:00")]
    [InlineData("1765230488975")]
    [InlineData("yesterday")]
    [InlineData("２０２５-12-08T21:48:08Z")]
    public void NotIso8601_IsRejected(string text)
    {
        Assert.False(TimestampParser.TryParse(text, out _));
        Assert.False(TimestampParser.TryParse(Encoding.UTF8.GetBytes(text), out _));
    }
}
