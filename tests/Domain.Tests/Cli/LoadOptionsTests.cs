using SessionInsights.Cli.Load;

namespace SessionInsights.Domain.Tests.Cli;

public class LoadOptionsTests
{
    private static LoadOptions? Parse(params string[] args) => LoadOptions.Parse(args, TextWriter.Null);

    [Fact]
    public void Defaults()
    {
        var o = Parse("--url", "http://127.0.0.1:5000")!;

        Assert.Equal(new Uri("http://127.0.0.1:5000"), o.Url);
        Assert.Equal(1000, o.Users);
        Assert.Equal(1, o.SessionsPerUser);
        Assert.Equal(64, o.Connections);
        Assert.Equal(0, o.Rate);
        Assert.Equal(TimeSpan.FromSeconds(30), o.Duration);
        Assert.Equal(TimeSpan.Zero, o.Warmup);
        Assert.Equal(100, o.ReadsPerSecond);
        Assert.Null(o.JsonPath);
        Assert.Null(o.ServerPid);
    }

    [Fact]
    public void EventsPerUser_DefaultsToEndlessRandomUsers_AndParses()
    {
        var defaults = Parse("--url", "http://127.0.0.1:5000")!;
        var waves = Parse("--url", "http://127.0.0.1:5000", "--events-per-user", "10", "--active-users=2000")!;

        Assert.Equal(0, defaults.EventsPerUser);
        Assert.Equal(10, waves.EventsPerUser);
        Assert.Equal(2000, waves.ActiveUsers);
        Assert.Null(Parse("--url", "http://127.0.0.1:5000", "--active-users", "0"));
    }

    [Fact]
    public void AllOptions_BothSpellings()
    {
        var o = Parse("--url=http://h:1", "--users", "5", "--sessions-per-user=3", "--connections", "8", "--rate", "250.5",
            "--duration", "2m", "--warmup", "5s", "--reads-per-second", "0", "--json", "out.json", "--server-pid", "123", "--seed", "-7")!;

        Assert.Equal((5, 3, 8, 250.5, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(5), 0.0, "out.json", 123, -7),
            (o.Users, o.SessionsPerUser, o.Connections, o.Rate, o.Duration, o.Warmup, o.ReadsPerSecond, o.JsonPath, o.ServerPid, o.Seed));
    }

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5m", 90_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("12", 12_000)]
    public void Durations(string text, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), LoadOptions.ParseDuration(text));

    [Theory]
    [InlineData("--users", "5")]
    [InlineData("--url", "ftp://x")]
    [InlineData("--url", "http://x", "--users", "0")]
    [InlineData("--url", "http://x", "--duration", "-1s")]
    [InlineData("--url", "http://x", "--rate", "fast")]
    [InlineData("--url", "http://x", "--bogus", "1")]
    [InlineData("--url", "http://x", "--users")]
    [InlineData("--url", "http://x", "stray")]
    public void Rejected(params string[] args)
    {
        var errors = new StringWriter();

        Assert.Null(LoadOptions.Parse(args, errors));
        Assert.NotEmpty(errors.ToString());
    }

    [Fact]
    public void Print_NeedsNoUrl() => Assert.Equal(10, Parse("--print", "10")!.Print);
}
