using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SessionInsights.Gateway.Security;
using SessionInsights.Grains.Hosting;

namespace SessionInsights.Gateway.Endpoints;

public static class SessionEndpoints
{
    public const int MaxEvents = 200;

    public static IEndpointRouteBuilder MapSessions(this IEndpointRouteBuilder app)
    {
        app.MapGet("/session/{session_id}", GetSessionAsync)
            .WithName("GetSession")
            .WithTags("Context")
            .WithSummary("One session's aggregates, summary, patterns and latest events, from its session grain")
            .Produces<SessionDocument>(StatusCodes.Status200OK, "application/json")
            .RequireProjectKey()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetSessionAsync(
        [FromRoute(Name = "session_id")] string sessionId,
        [FromQuery(Name = "events_limit")] string? limitText,
        ClaimsPrincipal user,
        GrainClient grains,
        TimeProvider time,
        CancellationToken ct)
    {
        if (QueryLimit.Read(limitText, "events_limit", 50, MaxEvents, out var limit) is { } invalid)
        {
            return invalid;
        }
        try
        {
            var reply = await grains.GetSessionAsync(ProjectKeyAuthentication.ProjectOf(user), sessionId, limit, ct);
            return reply.Found
                ? TypedResults.File(GeneratedAt.Stamp(reply.Json, time.GetUtcNow()), "application/json")
                : TypedResults.Problem(title: "Not found", detail: $"session {sessionId} is unknown", statusCode: 404);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is TimeoutException or OrleansException)
        {
            return Problems.Unavailable($"The session's grain did not answer ({ex.GetType().Name}); retry.");
        }
    }
}
