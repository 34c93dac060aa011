using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SessionInsights.Domain.Storage;
using SessionInsights.Gateway.Security;
using SessionInsights.Grains.Hosting;

namespace SessionInsights.Gateway.Endpoints;

public static class FailedEventsEndpoints
{
    public static IEndpointRouteBuilder MapFailedEvents(this IEndpointRouteBuilder app)
    {
        app.MapGet("/events/failed", ListAsync)
            .WithName("ListFailedEvents")
            .WithTags("Operations")
            .WithSummary("Dead letters of the key's project (status DEAD_LETTER: failed permanently or after every automatic retry), newest first, with the last error and attempts")
            .RequireProjectKey()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        app.MapPost("/events/dead-letters/retry", RetryAllAsync)
            .WithName("RetryDeadLetters")
            .WithTags("Operations")
            .WithSummary("Marks every dead letter of the key's project PENDING again (after a fix) and has their users' grains replay them")
            .RequireProjectKey();
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

    private static async Task<Accepted<DeadLetterRetryResult>> RetryAllAsync(ClaimsPrincipal user, IRawEventLog log, GrainClient grains, CancellationToken ct) =>
        TypedResults.Accepted((string?)null, await DeadLetterRetries.RetryAllAsync(log, grains, ProjectKeyAuthentication.ProjectOf(user), ct));
}
