using System.Reflection;

namespace SessionInsights.Gateway.Insights;

/// <summary>
/// The insights page at /insights: the project's own views next to Orleans' dashboard at /dashboard
/// (plain HTML, JS and CSS embedded in this assembly: nothing to build), and its JSON under
/// /insights/api.
/// </summary>
public static class InsightsPage
{
    private const string ResourcePrefix = "SessionInsights.Gateway.Insights.";
    private static readonly Dictionary<string, (string ContentType, byte[] Bytes)> Assets = LoadAssets();

    public static WebApplication MapInsights(this WebApplication app)
    {
        app.MapGet("/insights", () => Asset("index.html")).ExcludeFromDescription();
        app.MapGet("/insights/rules", () => Asset("rules.html")).ExcludeFromDescription();
        app.MapGet("/insights/{file}", (string file) => Asset(file)).ExcludeFromDescription();
        app.MapInsightsApi();
        return app;
    }

    private static IResult Asset(string file) =>
        Assets.TryGetValue(file, out var asset)
            ? Results.Bytes(asset.Bytes, asset.ContentType)
            : Results.NotFound();

    private static Dictionary<string, (string, byte[])> LoadAssets()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var assets = new Dictionary<string, (string, byte[])>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var file = name[ResourcePrefix.Length..];
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
