using SessionInsights.Gateway.Hosting;
using SessionInsights.Gateway.Insights;
using SessionInsights.Grains.Hosting;

namespace SessionInsights.Gateway.Security;

/// <summary>The security settings as they apply to this node, decided once at start.</summary>
/// <param name="AllowAnonymous">Requests without a credential are served as the default project.</param>
/// <param name="RefreshEvery">How often keys are reloaded from storage.</param>
public sealed record SecurityMode(bool AllowAnonymous, TimeSpan RefreshEvery)
{
    public const string AllowAnonymousSetting = "Security__AllowAnonymous=true";

    /// <summary>
    /// Reads the settings and refuses a deployment (PostgreSQL configured) that would serve personal
    /// data to anyone: the dashboard shows users' contexts and can replay events, and /metrics names users.
    /// </summary>
    public static SecurityMode From(IConfiguration config, DataLocation data)
    {
        var options = config.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();
        if (options.KeyRefreshSeconds is <= 0 or > 3600)
        {
            throw new StartupUsageException("Security:KeyRefreshSeconds must be above 0 and at most 3600");
        }
        var singleNode = data.SqliteFile is not null;
        var anonymous = options.AllowAnonymous ?? singleNode;
        var dashboard = config.GetSection(DashboardOptions.Section).Get<DashboardOptions>() ?? new DashboardOptions();
        if (!singleNode && !anonymous && !dashboard.RequiresAuth)
        {
            throw new StartupUsageException(
                "with PostgreSQL the dashboard and /metrics need credentials: set Dashboard__Username and Dashboard__Password " +
                $"(or, knowingly, {AllowAnonymousSetting})");
        }
        return new SecurityMode(anonymous, TimeSpan.FromSeconds(options.KeyRefreshSeconds));
    }
}
