namespace SessionInsights.Gateway.Dashboard;

/// <summary>Configuration section <c>Dashboard</c>: basic auth is on only when both are set.</summary>
public sealed record DashboardOptions(string? Username, string? Password)
{
    public bool RequiresAuth => !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password);

    public static DashboardOptions FromConfiguration(IConfiguration config) =>
        new(config["Dashboard:Username"], config["Dashboard:Password"]);
}
