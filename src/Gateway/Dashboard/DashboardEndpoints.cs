using System.Reflection;
using SessionInsights.Grains.Monitoring;

namespace SessionInsights.Gateway.Dashboard;

/// <summary>
/// The dashboard page (plain HTML, JS and CSS embedded in this assembly: nothing to build) and
/// <c>/metrics</c> for Prometheus.
/// </summary>
public static class DashboardEndpoints
{
    private static readonly Dictionary<string, (string ContentType, byte[] Bytes)> Assets = LoadAssets();

    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(DashboardOptions.FromConfiguration(config));
        services.AddSingleton<ClusterProbe>();
        services.AddSingleton<ShardDistribution>();
        services.AddSingleton<DashboardSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<DashboardSampler>());
        return services;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.MapGet("/dashboard", () => Asset("index.html")).ExcludeFromDescription();
        app.MapGet("/dashboard/{file}", (string file) => Asset(file)).ExcludeFromDescription();
        app.MapDashboardApi();
        app.MapGet("/metrics", MetricsAsync)
            .WithTags("Operations")
            .WithSummary("Every node's counters, gauges and histograms in Prometheus text format (label node)");
        return app;
    }

    private static IResult Asset(string file) =>
        Assets.TryGetValue(file, out var asset)
            ? Results.Bytes(asset.Bytes, asset.ContentType)
            : Results.NotFound();

    private static async Task<IResult> MetricsAsync(ClusterProbe probe, CancellationToken ct)
    {
        var nodes = await probe.ProbeAsync(new GetNodeStats(IncludeLogs: false, IncludePatterns: false), ct);
        return Results.Text(PrometheusText.Write([.. nodes.Where(n => n.Stats is not null).Select(n => n.Stats!)]), PrometheusText.ContentType);
    }

    private static Dictionary<string, (string, byte[])> LoadAssets()
    {
        const string prefix = "SessionInsights.Gateway.Dashboard.";
        var assembly = Assembly.GetExecutingAssembly();
        var assets = new Dictionary<string, (string, byte[])>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var file = name[prefix.Length..];
            var type = Path.GetExtension(file) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                _ => "application/octet-stream",
            };
            assets[file] = (type, copy.ToArray());
        }
        return assets;
    }
}
