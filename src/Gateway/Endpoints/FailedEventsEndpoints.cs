using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SessionInsights.Domain.Storage;
using SessionInsights.Gateway.Security;

namespace SessionInsights.Gateway.Endpoints;

public static class FailedEventsEndpoints
{
    public static IEndpointRouteBuilder MapFailedEvents(this IEndpointRouteBuilder app)
    {
        app.MapGet("/events/failed", ListAsync)
            .WithName("ListFailedEvents")
            .WithTags("Operations")
            .WithSummary("Raw events of the key's project the domain rejected (status FAILED), newest first, with the reason")
            .RequireProjectKey()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<FailedEvent>>, ProblemHttpResult>> ListAsync(
        [FromQuery(Name = "limit")] string? limitText, ClaimsPrincipal user, IRawEventLog log, CancellationToken ct)
    {
        if (QueryLimit.Read(limitText, "limit", 50, 1000, out var limit) is { } invalid)
        {
            return invalid;
        }
        return TypedResults.Ok(await log.ReadFailedAsync(ProjectKeyAuthentication.ProjectOf(user), limit, ct));
    }
}
