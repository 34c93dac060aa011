namespace SessionInsights.Gateway.Insights;

/// <summary>
/// Configuration section <c>Dashboard</c>: HTTP basic auth in front of /dashboard (Orleans' dashboard),
/// /insights and /metrics, on only when both are set. One without the other fails at startup, so a
/// half-done setup never leaves the pages open by surprise.
/// </summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    public string? Username { get; set; }

    public string? Password { get; set; }

    public bool RequiresAuth => !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password);

    internal bool IsValid => string.IsNullOrEmpty(Username) == string.IsNullOrEmpty(Password);

    internal const string ValidationMessage = "Dashboard:Username and Dashboard:Password must be set together (both: basic auth on; neither: off)";
}
