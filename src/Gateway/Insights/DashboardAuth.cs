using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SessionInsights.Gateway.Insights;

/// <summary>Optional HTTP basic auth (<see cref="DashboardOptions"/>) for the operator pages, their JSON, and /metrics.</summary>
public static class DashboardAuth
{
    private static readonly string[] ProtectedPrefixes = ["/dashboard", "/insights", "/metrics"];

    public static bool IsProtectedPath(PathString path) =>
        ProtectedPrefixes.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    public static IServiceCollection AddDashboardAuth(this IServiceCollection services)
    {
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section)
            .Validate(o => o.IsValid, DashboardOptions.ValidationMessage)
            .ValidateOnStart();
        return services;
    }

    public static IApplicationBuilder UseDashboardAuth(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<DashboardOptions>>().Value;
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
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"session-insights\", charset=\"UTF-8\"";
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
