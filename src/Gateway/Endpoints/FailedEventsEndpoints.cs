using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Gateway.Endpoints;

public static class FailedEventsEndpoints
{
    public static IEndpointRouteBuilder MapFailedEvents(this IEndpointRouteBuilder app)
    {
        app.MapGet("/events/failed", ListAsync)
            .WithName("ListFailedEvents")
            .WithTags("Operations")
            .WithSummary("Raw events the domain rejected (status FAILED), newest first, with the reason")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<FailedEvent>>, ProblemHttpResult>> ListAsync(
        [FromQuery(Name = "limit")] string? limitText, IRawEventLog log, CancellationToken ct)
    {
        // Parsed here, not bound as int?: a failed binding answers 400 without naming the parameter.
        var limit = 50;
        if (limitText is not null && (!int.TryParse(limitText, out limit) || limit is < 1 or > 1000))
        {
            return Problems.Field(400, "limit", "must be a whole number from 1 to 1000");
        }
        return TypedResults.Ok(await log.ReadFailedAsync(limit, ct));
    }
}
