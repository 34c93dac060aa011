using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionInsights.Domain;

namespace SessionInsights.Grains.Options;

public static class OptionsRegistration
{
    /// <summary>Binds the Grains, Cluster, Insights, Retention, EventRetries and Webhooks sections once, validated when the host starts.</summary>
    public static IServiceCollection AddSessionInsightsOptions(this IServiceCollection services, string? postgresConnectionString)
    {
        services.AddOptions<GrainsOptions>().BindConfiguration(GrainsOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<GrainsOptions>>(new Validator<GrainsOptions>(o => o.Validate()));
        services.AddSingleton<IValidateOptions<ClusterOptions>>(new Validator<ClusterOptions>(o => o.Validate(postgresConnectionString)));
        services.AddSingleton<IValidateOptions<InsightsSettings>>(new Validator<InsightsSettings>(o => o.Validate()));
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section).ValidateOnStart();
        services.AddOptions<InsightsSettings>().BindConfiguration(InsightsSettings.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RetentionOptions>>(new Validator<RetentionOptions>(o => o.Validate()));
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EventRetryOptions>>(new Validator<EventRetryOptions>(o => o.Validate()));
        services.AddOptions<EventRetryOptions>().BindConfiguration(EventRetryOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>>(new Validator<WebhookOptions>(o => o.Validate()));
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<InsightsSettings>>().Value.ToProjectOptions());
        services.AddSingleton(sp => sp.GetRequiredService<ProjectInsightsOptions>().Default);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<GrainsOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ClusterOptions>>().Value);
        return services;
    }

    /// <summary>Every problem of one section in one message, each naming its key.</summary>
    private sealed class Validator<T>(Func<T, IEnumerable<string>> validate) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var errors = validate(options).ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
