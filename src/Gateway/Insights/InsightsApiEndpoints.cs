using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SessionInsights.Domain;
using SessionInsights.Domain.Context;
using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.Projects;
using SessionInsights.Domain.Storage;
using SessionInsights.Gateway.Endpoints;
using SessionInsights.Gateway.Ingestion;
using SessionInsights.Gateway.Security;
using SessionInsights.Grains.Abstractions;
using SessionInsights.Grains.Hosting;
using SessionInsights.Grains.Monitoring;

namespace SessionInsights.Gateway.Insights;

/// <summary>
/// The JSON the insights page polls, one endpoint per panel. Cross-node figures come from the
/// insights hub grain (one call, whatever the cluster's size); failures and users from storage and
/// the user's grains, as the API serves them.
/// </summary>
public static class InsightsApiEndpoints
{
    private static readonly TimeSpan PatternWindow = TimeSpan.FromHours(1);
    private static readonly TimeSpan HubTimeout = TimeSpan.FromSeconds(3);
    private const int UsersPerRule = 20;
    private const int LogLines = 300;

    public static IEndpointRouteBuilder MapInsightsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/insights/api").WithTags("Insights");
        api.MapGet("/overview", OverviewAsync)
            .WithSummary("Every node (silos and gateways) as of its last report, cluster traffic and its last 100 one-second samples")
            .ProducesProblem(503);
        api.MapGet("/patterns", PatternsAsync).WithSummary("How often each pattern rule fired in the last hour, and for whom").ProducesProblem(503);
        api.MapGet("/failed", FailedAsync).WithSummary("Dead letters (DEAD_LETTER raw events) of every project, newest first").ProducesProblem(400);
        api.MapPost("/failed/{uuid}/retry", RetryAsync).WithSummary("Marks a dead letter PENDING again and has its user grain replay it").ProducesProblem(400).ProducesProblem(404);
        api.MapGet("/dead-letters", async (IRawEventLog log, CancellationToken ct) => TypedResults.Ok(new DeadLetterCount(await log.CountDeadLettersAsync(projectId: null, ct))))
            .WithSummary("How many dead letters there are, in every project (the page's badge)");
        api.MapPost("/dead-letters/retry", async (IRawEventLog log, GrainClient grains, CancellationToken ct) =>
                TypedResults.Accepted((string?)null, await DeadLetterRetries.RetryAllAsync(log, grains, projectId: null, ct)))
            .WithSummary("Marks every dead letter of every project PENDING again (after a fix) and has their users' grains replay them");
        api.MapGet("/ingestion-warnings", (IngestionWarnings warnings) => TypedResults.Ok(warnings.Snapshot(projectId: null)))
            .WithSummary("This gateway's ingestion warnings, as GET /ingestion-warnings serves them");
        api.MapGet("/rate-limits", (ProjectRateLimits limits) => TypedResults.Ok(limits.Refusals()))
            .WithSummary("Requests this gateway refused with 429 since it started, per project and kind (capture, read)");
        api.MapGet("/logs", LogsAsync).WithSummary("The latest log lines of every node, oldest first").ProducesProblem(503);
        api.MapGet("/user/{user_id}", UserAsync).WithSummary("A user's live context (what the chatbot gets) and latest session")
            .Produces<InsightsUserDocument>(StatusCodes.Status200OK, "application/json").ProducesProblem(400).ProducesProblem(503);
        api.MapInsightsRules();
        api.MapInsightsWebhooks();
        return app;
    }

    private static async Task<Results<Ok<ClusterOverview>, ProblemHttpResult>> OverviewAsync(IGrainFactory grains, TimeProvider time, CancellationToken ct)
    {
        var asked = await AskHubAsync(grains, hub => hub.GetOverview(), ct);
        return asked.Result is Ok<ClusterOverview> { Value: { } overview } ? TypedResults.Ok(overview with { GeneratedAt = time.GetUtcNow() }) : asked;
    }

    private static async Task<Results<Ok<PatternsView>, ProblemHttpResult>> PatternsAsync(
        IGrainFactory grains, InsightsOptions options, TimeProvider time, CancellationToken ct)
    {
        var asked = await AskHubAsync(grains, hub => hub.GetPatterns(PatternWindow, UsersPerRule), ct);
        if (asked.Result is not Ok<IReadOnlyList<PatternCount>> { Value: { } fired })
        {
            return (ProblemHttpResult)asked.Result;
        }
        var counts = fired.ToDictionary(c => c.Rule, StringComparer.Ordinal);
        var rules = options.Rules.Rules
            .Select(r => counts.TryGetValue(r.Code, out var c)
                ? new PatternRuleView(r.Code, r.Description, r.Severity.ToWire(), c.Count, c.Users, c.LastAt)
                : new PatternRuleView(r.Code, r.Description, r.Severity.ToWire(), 0, [], null))
            .OrderByDescending(r => r.Count)
            .ThenBy(r => r.Rule, StringComparer.Ordinal);
        var now = time.GetUtcNow();
        return TypedResults.Ok(new PatternsView(now, now - PatternWindow, [.. rules]));
    }

    private static async Task<Results<Ok<LogsView>, ProblemHttpResult>> LogsAsync(IGrainFactory grains, CancellationToken ct)
    {
        var asked = await AskHubAsync(grains, hub => hub.GetLogs(LogLines), ct);
        return asked.Result is Ok<IReadOnlyList<NodeLogLine>> { Value: { } lines }
            ? TypedResults.Ok(new LogsView(DateTimeOffset.UtcNow, lines))
            : (ProblemHttpResult)asked.Result;
    }

    private static async Task<Results<Ok<IReadOnlyList<FailedEvent>>, ProblemHttpResult>> FailedAsync(
        [FromQuery(Name = "limit")] int? limit, IRawEventLog log, CancellationToken ct)
    {
        if (limit is < 1 or > 1000)
        {
            return Problems.Field(400, "limit", "must be a whole number from 1 to 1000");
        }
        return TypedResults.Ok(await log.ReadFailedAsync(projectId: null, limit ?? 50, ct));
    }

    private static async Task<Results<Accepted<RetryResult>, ProblemHttpResult>> RetryAsync(
        [FromRoute(Name = "uuid")] string uuidText, IRawEventLog log, GrainClient grains, CancellationToken ct)
    {
        if (!Guid.TryParse(uuidText, out var uuid))
        {
            return Problems.Field(400, "uuid", "must be a UUID");
        }
        if (await log.RetryFailedAsync(uuid, ct) is not { } user)
        {
            return TypedResults.Problem(title: "Not found", detail: $"no dead letter has uuid {uuid}", statusCode: 404);
        }
        // Lost or not, the pending sweeper would replay it later too; this makes it immediate.
        grains.RecoverPending(user.ProjectId, user.DistinctId);
        return TypedResults.Accepted((string?)null, new RetryResult(uuid, user.ProjectId, user.DistinctId, "PENDING"));
    }

    private static async Task<Results<Ok<JsonElement>, ProblemHttpResult>> UserAsync(
        [FromRoute(Name = "user_id")] string userId, [FromQuery(Name = "project")] string? projectText, GrainClient grains, TimeProvider time, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(userId) || userId.Length > 200)
        {
            return Problems.Field(400, "user_id", "must be 1 to 200 characters");
        }
        // Operators see every project; a user id means something only within one (default: project 1).
        var (projectId, badProject) = DashboardProject.Parse(projectText);
        if (badProject is not null)
        {
            return badProject;
        }
        try
        {
            // Both documents as the API serves them (generated_at included), under the time of this answer.
            var now = time.GetUtcNow();
            using var context = JsonDocument.Parse(GeneratedAt.Stamp((await grains.GetContextAsync(projectId, userId, 20, null, ct)).Json, now));
            JsonElement? session = null;
            if (LatestSessionId(context.RootElement) is { } sessionId)
            {
                var reply = await grains.GetSessionAsync(projectId, sessionId, 20, ct);
                if (reply.Found)
                {
                    using var s = JsonDocument.Parse(GeneratedAt.Stamp(reply.Json, now));
                    session = s.RootElement.Clone();
                }
            }
            return TypedResults.Ok(JsonSerializer.SerializeToElement(new { generated_at = UtcTimeJsonConverter.Text(now), context = context.RootElement.Clone(), latest_session = session }));
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            // The session grain did not answer in time, or neither the user grain nor storage did.
            return Problems.Unavailable($"The user could not be read ({ex.GetType().Name}); retry.");
        }
    }

    private static string? LatestSessionId(JsonElement context)
    {
        if (!context.TryGetProperty("recent_events", out var events) || events.GetArrayLength() == 0)
        {
            return null;
        }
        return events[events.GetArrayLength() - 1].TryGetProperty("session_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
    }

    internal static async Task<Results<Ok<T>, ProblemHttpResult>> AskHubAsync<T>(IGrainFactory grains, Func<IInsightsHubGrain, Task<T>> ask, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(await ask(grains.GetInsightsHub()).WaitAsync(HubTimeout, ct));
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            // The hub's silo died and the hub has not moved yet, or no silo is reachable.
            return Problems.Unavailable($"The insights hub did not answer ({ex.GetType().Name}); retry.");
        }
    }
}
