namespace SessionInsights.Gateway.Security;

/// <summary>
/// Configuration section <c>Security</c>. <see cref="AllowAnonymous"/>: whether a request with no
/// credential is served as the default project (capture with any token, reads and the webhook with
/// no key). Unset, it is on for the single-node SQLite default (zero-config on a laptop) and off with
/// PostgreSQL (a real deployment), where the gateway also refuses to start while the dashboard and
/// /metrics are open (docs/security.md).
/// </summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    public bool? AllowAnonymous { get; set; }

    /// <summary>How often the gateway reloads keys from storage: the longest a revoked key still works.</summary>
    public double KeyRefreshSeconds { get; set; } = 5;
}
