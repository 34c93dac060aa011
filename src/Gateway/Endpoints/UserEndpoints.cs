using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SessionInsights.Gateway.Security;
using SessionInsights.Grains.Abstractions;
using SessionInsights.Grains.Hosting;

namespace SessionInsights.Gateway.Endpoints;

public static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        app.MapDelete("/users/{distinct_id}", EraseAsync)
            .WithName("EraseUser")
            .WithTags("Privacy")
            .WithSummary("Erases a person of the key's project: raw and enriched events, sessions, snapshot, in storage and in memory")
            .WithDescription("Rows stored after the erase began belong to a new person with the same id. A record keeps who asked (the key's id), when and how many rows went, never the id or any content. Erasing an unknown user succeeds with zero rows.")
            .RequireProjectKey()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<Results<Ok<UserErased>, ProblemHttpResult>> EraseAsync(
        [FromRoute(Name = "distinct_id")] string distinctId, ClaimsPrincipal user, GrainClient grains, TimeProvider time, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(distinctId) || distinctId.Length > 200)
        {
            return Problems.Field(400, "distinct_id", "must be 1 to 200 characters");
        }
        try
        {
            var erased = await grains.EraseAsync(ProjectKeyAuthentication.ProjectOf(user), distinctId, ProjectKeyAuthentication.CallerOf(user), ct);
            var now = time.GetUtcNow();
            return TypedResults.Ok(new UserErased(now, "erased", now, erased));
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is TimeoutException or OrleansException)
        {
            return Problems.Unavailable($"The user could not be erased now ({ex.GetType().Name}); nothing is left half-erased in storage, retry.");
        }
    }
}

/// <summary>The answer to an erasure: rows removed per table.</summary>
public sealed record UserErased(DateTimeOffset GeneratedAt, string Status, DateTimeOffset ErasedAt, ErasureReply Rows);
