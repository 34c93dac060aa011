using System.Security.Cryptography;
using System.Text;

namespace SessionInsights.Gateway.Dashboard;

/// <summary>Optional HTTP basic auth in front of /dashboard and /metrics (Dashboard:Username/Password).</summary>
public static class DashboardAuth
{
    public static bool IsProtectedPath(PathString path) =>
        path.StartsWithSegments("/dashboard", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase);

    public static IApplicationBuilder UseDashboardAuth(this IApplicationBuilder app, DashboardOptions options)
    {
        if (!options.RequiresAuth)
        {
            return app;
        }
        var expected = Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}");
        return app.Use(async (context, next) =>
        {
            if (!IsProtectedPath(context.Request.Path) || Authorized(context.Request.Headers.Authorization.ToString(), expected))
            {
                await next(context);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"session-insights dashboard\", charset=\"UTF-8\"";
        });
    }

    public static bool Authorized(string header, byte[] expected)
    {
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        try
        {
            var given = Convert.FromBase64String(header[6..].Trim());
            return CryptographicOperations.FixedTimeEquals(given, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
