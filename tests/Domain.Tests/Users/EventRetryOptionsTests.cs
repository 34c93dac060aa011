using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionInsights.Domain.Users;
using SessionInsights.Grains.Options;

namespace SessionInsights.Domain.Tests.Users;

/// <summary>The <c>EventRetries</c> section as the hosts bind it: defaults, overrides, and bad values named.</summary>
public sealed class EventRetryOptionsTests
{
    [Fact]
    public void Defaults_are_3_retries_from_1_second_and_settings_override_them()
    {
        Assert.Equal(new EventRetryPolicy(3, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)), Bind([]).ToPolicy());
        var set = Bind(new() { ["EventRetries:RetryAttempts"] = "5", ["EventRetries:BaseDelay"] = "00:00:00.250" });
        Assert.Equal((5, TimeSpan.FromMilliseconds(250)), (set.RetryAttempts, set.BaseDelay));
    }

    [Theory]
    [InlineData("EventRetries:RetryAttempts", "-1", "EventRetries:RetryAttempts must be from 0 to 20")]
    [InlineData("EventRetries:BaseDelay", "00:00:00", "EventRetries:BaseDelay must be positive")]
    [InlineData("EventRetries:MaxDelay", "2.00:00:00", "EventRetries:MaxDelay from BaseDelay to 1 day")]
    [InlineData("EventRetries:PollInterval", "00:00:00.010", "EventRetries:PollInterval must be from 100 ms")]
    public void A_bad_setting_fails_validation_naming_it(string key, string value, string message)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new() { [key] = value }));
        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    private static EventRetryOptions Bind(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(config);
        services.AddSessionInsightsOptions(postgresConnectionString: null);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<EventRetryOptions>>().Value;
    }
}
