using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SessionInsights.Gateway.Ingestion;
using SessionInsights.Gateway.Security;
using SessionInsights.Grains.Hosting;

namespace SessionInsights.Gateway.Endpoints;

public static class ContextEndpoints
{
    public const int MaxRecentEvents = 500;
    public const string ContextSourceHeader = "X-Context-Source";
    public const string RulesVersionHeader = "X-Rules-Version";

    public static IEndpointRouteBuilder MapContext(this IEndpointRouteBuilder app)
    {
        app.MapGet("/session/context/{user_id}", GetContextAsync)
            .WithName("GetUserContext")
            .WithTags("Context")
            .WithSummary("The chatbot context of one user, from the live user grain")
            .WithDescription("generated_at (the server's time of the answer, for relative times), recent_events (oldest first, 1–500, default 20), the latest session's summary, detected patterns (each with status pending or confirmed; patterns=confirmed leaves pending ones out). An unknown user gets empty lists and a null summary. When the grain does not answer within Grains:ContextFallbackAfter (its silo died and the grain is moving) the same document is rendered from storage; the X-Context-Source header says grain or storage.")
            .Produces<UserContextDocument>(StatusCodes.Status200OK, "application/json")
            .RequireProjectKey()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetContextAsync(
        [FromRoute(Name = "user_id")] string userId,
        [FromQuery(Name = "recent_events_limit")] string? limitText,
        [FromQuery(Name = "lookback_hours")] string? lookbackText,
        [FromQuery(Name = "patterns")] string? patternsText,
        ClaimsPrincipal user,
        GrainClient grains,
        IngestMetrics metrics,
        TimeProvider time,
        HttpResponse response,
        CancellationToken ct)
    {
        if (QueryLimit.Read(limitText, "recent_events_limit", 20, MaxRecentEvents, out var limit) is { } invalid)
        {
            return invalid;
        }
        double? lookback = null;
        if (lookbackText is not null)
        {
            if (!double.TryParse(lookbackText, System.Globalization.CultureInfo.InvariantCulture, out var h) || !(h > 0) || h > 24 * 3660)
            {
                return Problems.Field(400, "lookback_hours", "must be a positive number of hours");
            }
            lookback = h;
        }
        // A bot that acts on patterns asks for confirmed ones: a pending one may still be cancelled.
        var confirmedOnly = false;
        if (patternsText is not null)
        {
            if (patternsText is not ("all" or "confirmed"))
            {
                return Problems.Field(400, "patterns", "must be 'confirmed' (only patterns whose negative window has passed) or 'all'");
            }
            confirmedOnly = patternsText == "confirmed";
        }
        if (string.IsNullOrWhiteSpace(userId) || userId.Length > 200)
        {
            return Problems.Field(400, "user_id", "must be 1 to 200 characters");
        }
        var started = Stopwatch.GetTimestamp();
        try
        {
            var read = await grains.GetContextAsync(ProjectKeyAuthentication.ProjectOf(user), userId, limit, lookback, ct, confirmedOnly);
            metrics.ContextReads.Add(1);
            metrics.ContextReadMs.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!read.FromGrain)
            {
                metrics.ContextStorageReads.Add(1);
            }
            // Tells a caller (and the fault tests) whether the live grain answered or storage stood in.
            response.Headers[ContextSourceHeader] = read.FromGrain ? "grain" : "storage";
            // Which version of the project's rules the patterns come from (GET /rules reports the current one).
            response.Headers[RulesVersionHeader] = read.RulesVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.File(GeneratedAt.Stamp(read.Json, time.GetUtcNow()), "application/json");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            // Neither the grain nor storage answered (e.g. the database is down): a retryable 503.
            return Problems.Unavailable($"The user's context could not be read ({ex.GetType().Name}); retry.");
        }
    }
}
