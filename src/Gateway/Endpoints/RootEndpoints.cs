using System.Text;
using Microsoft.AspNetCore.Http.Metadata;

namespace SessionInsights.Gateway.Endpoints;

/// <summary>
/// <c>GET /</c>: browsers go to the browsable API at /docs; curl gets a plain list of the endpoints,
/// built from the routing table so it cannot drift from what the gateway serves.
/// </summary>
public static class RootEndpoints
{
    public static void MapRoot(this WebApplication app) =>
        app.MapGet("/", (HttpRequest request, EndpointDataSource endpoints) =>
            request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true)
                ? Results.Redirect("/docs")
                : Results.Text(Describe(endpoints), "text/plain; charset=utf-8"))
            .ExcludeFromDescription();

    internal static string Describe(EndpointDataSource source)
    {
        var rows = source.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(method => (
                Method: method,
                Path: "/" + (e.RoutePattern.RawText ?? "").Trim('/'),
                Summary: e.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary ?? "")))
            // The Orleans dashboard's own resources are pages and scripts, not an API.
            .Where(r => r.Method is not "OPTIONS" && r.Path is not "/" && !r.Path.StartsWith("/dashboard", StringComparison.Ordinal))
            .Distinct()
            .OrderBy(r => r.Path, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)
            .ToList();
        var width = rows.Count == 0 ? 0 : rows.Max(r => r.Method.Length + 1 + r.Path.Length);
        var text = new StringBuilder("Session Insights: PostHog events in, a ready-to-paste context per user out.\n\n");
        foreach (var (method, path, summary) in rows)
        {
            text.Append((method + " " + path).PadRight(width + 2)).Append(summary).Append('\n');
        }
        text.Append("\nBrowsable API: /docs   OpenAPI document: /openapi/v1.json   Dashboards: /insights, /dashboard (Orleans)\n");
        return text.ToString();
    }
}
