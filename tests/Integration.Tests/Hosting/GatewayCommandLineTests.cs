using SessionInsights.Gateway.Hosting;
using SessionInsights.Grains.Hosting;

namespace SessionInsights.Integration.Tests.Hosting;

/// <summary>The gateway's own argument parser (pure; the process-level behaviour is in StartupTests).</summary>
public class GatewayCommandLineTests
{
    [Theory]
    [InlineData("--demo", "--urls", "http://127.0.0.1:5077")]
    [InlineData("--urls", "http://127.0.0.1:5077", "--demo")]
    [InlineData("--urls=http://127.0.0.1:5077", "--demo")]
    public void Urls_and_demo_are_read_in_any_order(params string[] args)
    {
        var parsed = GatewayCommandLine.Parse(args, out var error);

        Assert.Null(error);
        Assert.NotNull(parsed);
        Assert.True(parsed.Demo);
        Assert.Equal(["--urls=http://127.0.0.1:5077"], parsed.ConfigurationArgs);
    }

    [Fact]
    public void Settings_pass_through_in_either_spelling()
    {
        var parsed = GatewayCommandLine.Parse(["--Insights:SessionIdleTimeout", "00:10:00", "--Grains__FlushDelay=00:00:00.050", "--reset-data"], out _);

        Assert.NotNull(parsed);
        Assert.True(parsed.ResetData);
        Assert.Equal(["--Insights:SessionIdleTimeout=00:10:00", "--Grains:FlushDelay=00:00:00.050"], parsed.ConfigurationArgs);
    }

    [Theory]
    [InlineData("unknown option '--bogus'", "--bogus")]
    [InlineData("unknown option '--url'", "--url", "http://127.0.0.1:5077")]
    [InlineData("unexpected argument 'demo'", "demo")]
    [InlineData("option '--urls' needs a value", "--urls", "--demo")]
    [InlineData("option '--urls' needs a value", "--demo", "--urls")]
    [InlineData("--demo and --demo-only cannot be used together", "--demo", "--demo-only")]
    public void Mistakes_are_named(string expected, params string[] args)
    {
        Assert.Null(GatewayCommandLine.Parse(args, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void A_failed_bind_is_described_with_the_option_to_change()
    {
        var failure = new IOException(
            "Failed to bind to address http://127.0.0.1:5077: address already in use.",
            new Microsoft.AspNetCore.Connections.AddressInUseException("Address already in use"));

        var (line, exitCode) = StartupFailure.Describe(failure);

        Assert.Equal(2, exitCode);
        Assert.Equal("http://127.0.0.1:5077 is already in use: choose another with --urls (e.g. --urls http://127.0.0.1:5078)", line);
    }
}
