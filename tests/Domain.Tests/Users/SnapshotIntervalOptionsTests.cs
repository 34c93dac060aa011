using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionInsights.Grains.Options;

namespace SessionInsights.Domain.Tests.Users;

/// <summary><c>Grains:SnapshotInterval</c> as the hosts bind it: held events must turn DONE before the stale sweep takes them for lost.</summary>
public sealed class SnapshotIntervalOptionsTests
{
    [Fact]
    public void The_default_is_5_seconds_and_0_means_every_commit()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), Bind([]).SnapshotInterval);
        Assert.Equal(TimeSpan.Zero, Bind(new() { ["Grains:SnapshotInterval"] = "00:00:00" }).SnapshotInterval);
        // 0 is valid whatever StalePendingAfter is.
        Assert.Equal(TimeSpan.Zero, Bind(new() { ["Grains:SnapshotInterval"] = "00:00:00", ["Grains:StalePendingAfter"] = "00:00:01" }).SnapshotInterval);
    }

    [Theory]
    [InlineData("00:00:15", "00:00:15", "Grains:SnapshotInterval (00:00:15) must be shorter than Grains:StalePendingAfter (00:00:15)")]
    [InlineData("00:00:05", "00:00:02", "must be shorter than Grains:StalePendingAfter")]
    [InlineData("-00:00:01", "00:00:15", "Grains:SnapshotInterval must not be negative")]
    public void An_interval_the_stale_sweep_would_overlap_fails_validation(string interval, string staleAfter, string message)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Grains:SnapshotInterval"] = interval, ["Grains:StalePendingAfter"] = staleAfter }));
        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    private static GrainsOptions Bind(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(config);
        services.AddSessionInsightsOptions(postgresConnectionString: null);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<GrainsOptions>>().Value;
    }
}
