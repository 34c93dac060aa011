using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Runtime;
using SessionInsights.Grains.Hosting;

namespace SessionInsights.Gateway.Endpoints;

public static class HealthEndpoints
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", HealthAsync)
            .WithName("Health")
            .WithTags("Operations")
            .WithSummary("200 when the cluster answers and has at least one active silo; also this node's grain counts");
        return app;
    }

    private static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> HealthAsync(
        IGrainFactory grains, GrainMetrics metrics, IServiceProvider services, CancellationToken ct)
    {
        // In a silo process ILocalSiloDetails names this silo; an Orleans client has none.
        var self = services.GetService<ILocalSiloDetails>();
        var roles = self is null ? new[] { "gateway" } : ["silo", "gateway"];
        int silos;
        try
        {
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(ProbeTimeout, ct);
            silos = hosts.Count;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is TimeoutException or OrleansException or InvalidOperationException)
        {
            silos = 0;
        }
        var report = new HealthReport(
            silos > 0 ? "ok" : "unavailable",
            self?.SiloAddress.ToString() ?? "client",
            roles,
            silos,
            new GrainCounts(metrics.ActiveUsers, metrics.ActiveSessions, metrics.TotalActivations));
        return silos > 0 ? TypedResults.Ok(report) : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}

public sealed record HealthReport(string Status, string Node, IReadOnlyList<string> Roles, int ActiveSilos, GrainCounts Grains);

/// <summary>Grains living on this node (zero on a gateway that hosts no silo).</summary>
public sealed record GrainCounts(long ActiveUsers, long ActiveSessions, long UserActivations);
