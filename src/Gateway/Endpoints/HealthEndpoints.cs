using Microsoft.AspNetCore.Http.HttpResults;
using SessionInsights.Grains.Hosting;

namespace SessionInsights.Gateway.Endpoints;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", Health)
            .WithName("Health")
            .WithTags("Operations")
            .WithSummary("200 when this node is an Up cluster member that can reach the grains");
        return app;
    }

    private static Results<Ok<HealthReport>, JsonHttpResult<HealthReport>> Health(AkkaClusterService cluster, GrainClient grains, GrainMetrics metrics)
    {
        var up = cluster.IsUp && grains.IsReady;
        var report = new HealthReport(
            up ? "ok" : "starting",
            cluster.System is null ? "" : cluster.Cluster.SelfAddress.ToString(),
            cluster.System is null ? [] : [.. cluster.Cluster.SelfRoles],
            new GrainCounts(metrics.ActiveUsers, metrics.ActiveSessions, metrics.TotalActivations));
        return up ? TypedResults.Ok(report) : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}

public sealed record HealthReport(string Status, string Node, IReadOnlyList<string> Roles, GrainCounts Grains);

/// <summary>Grains living on this node (zero on a gateway-only node).</summary>
public sealed record GrainCounts(long ActiveUsers, long ActiveSessions, long UserActivations);
