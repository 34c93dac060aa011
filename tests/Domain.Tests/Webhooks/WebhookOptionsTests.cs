using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionInsights.Domain.Webhooks;
using SessionInsights.Grains.Options;

namespace SessionInsights.Domain.Tests.Webhooks;

/// <summary>The <c>Webhooks</c> section as the hosts bind it: endpoints, defaults, and bad values named.</summary>
public sealed class WebhookOptionsTests
{
    [Fact]
    public void Endpoints_bind_from_numbered_keys_and_defaults_are_eight_attempts_from_one_second()
    {
        var set = Bind(new()
        {
            ["Webhooks:Endpoints:0:Url"] = "https://bot.example/hooks",
            ["Webhooks:Endpoints:0:Secret"] = "0123456789abcdef",
            ["Webhooks:Endpoints:1:Url"] = "http://127.0.0.1:9000/in",
            ["Webhooks:Endpoints:1:Secret"] = "fedcba9876543210",
            ["Webhooks:Endpoints:1:Project"] = "2",
        });
        Assert.Equal(
            [new WebhookEndpoint("https://bot.example/hooks", "0123456789abcdef", null), new WebhookEndpoint("http://127.0.0.1:9000/in", "fedcba9876543210", 2)],
            set.ToEndpoints());
        Assert.Equal((8, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(10)), (set.MaxAttempts, set.BaseDelay, set.MaxDelay, set.Timeout));
        Assert.Empty(Bind([]).Endpoints);
    }

    [Theory]
    [InlineData("Webhooks:Endpoints:0:Url", "ftp://bot.example/x", "Webhooks:Endpoints:0:Url must be an absolute http or https URL")]
    [InlineData("Webhooks:Endpoints:0:Url", "/relative", "Webhooks:Endpoints:0:Url must be an absolute http or https URL")]
    [InlineData("Webhooks:Endpoints:0:Secret", "short", "Webhooks:Endpoints:0:Secret must be at least 16 characters")]
    [InlineData("Webhooks:Endpoints:0:Project", "0", "Webhooks:Endpoints:0:Project must be a project id")]
    [InlineData("Webhooks:Timeout", "00:00:00.010", "Webhooks:Timeout must be from 100 ms to 5 minutes")]
    [InlineData("Webhooks:MaxAttempts", "0", "Webhooks:MaxAttempts must be from 1 to 50")]
    [InlineData("Webhooks:MaxDelay", "2.00:00:00", "Webhooks:MaxDelay from BaseDelay to 1 day")]
    [InlineData("Webhooks:PublicBaseUrl", "insights.example.com", "Webhooks:PublicBaseUrl must be an absolute http or https URL")]
    public void A_bad_setting_fails_validation_naming_it(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Webhooks:Endpoints:0:Url"] = "https://bot.example/hooks",
            ["Webhooks:Endpoints:0:Secret"] = "0123456789abcdef",
            [key] = value,
        };
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(settings));
        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_endpoint_listed_twice_is_named()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new()
        {
            ["Webhooks:Endpoints:0:Url"] = "https://bot.example/hooks",
            ["Webhooks:Endpoints:0:Secret"] = "0123456789abcdef",
            ["Webhooks:Endpoints:1:Url"] = "https://bot.example/hooks",
            ["Webhooks:Endpoints:1:Secret"] = "0123456789abcdef",
        }));
        Assert.Contains("Webhooks:Endpoints:1:Url is listed twice", failure.Message, StringComparison.Ordinal);
    }

    private static WebhookOptions Bind(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(config);
        services.AddSessionInsightsOptions(postgresConnectionString: null);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<WebhookOptions>>().Value;
    }
}
