using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SessionInsights.Gateway.Endpoints;
using SessionInsights.Grains;
using SessionInsights.Grains.Hosting;
using SessionInsights.Grains.Monitoring;
using SessionInsights.Grains.Storage;

namespace SessionInsights.Gateway.Dashboard;

/// <summary>The JSON the dashboard page polls: one endpoint per panel, each one request per refresh.</summary>
public static class DashboardApiEndpoints
{
    private static readonly TimeSpan PatternWindow = TimeSpan.FromHours(1);

    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/dashboard/api").WithTags("Dashboard");
        api.MapGet("/overview", (DashboardSampler sampler, CancellationToken ct) => sampler.CurrentAsync(ct))
            .WithSummary("Cluster nodes, shard distribution, traffic with history, grain methods (sampled once a second while watched)");
        api.MapGet("/patterns", PatternsAsync).WithSummary("How often each pattern rule fired in the last hour, and for whom");
        api.MapGet("/failed", FailedAsync).WithSummary("FAILED raw events, newest first").ProducesProblem(400);
        api.MapPost("/failed/{uuid}/retry", RetryAsync).WithSummary("Marks a FAILED raw event PENDING again and has its user grain replay it").ProducesProblem(404);
        api.MapGet("/logs", LogsAsync).WithSummary("The latest log lines of every node, oldest first");
        api.MapGet("/user/{user_id}", UserAsync).WithSummary("A user's live context (what the chatbot gets) and latest session").ProducesProblem(400).ProducesProblem(503);
        return app;
    }

    private static async Task<PatternsView> PatternsAsync(ClusterProbe probe, InsightsOptions options, TimeProvider time, CancellationToken ct)
    {
        var since = time.GetUtcNow() - PatternWindow;
        var nodes = await probe.ProbeAsync(new GetNodeStats(IncludeLogs: false, IncludePatterns: true), ct);
        var counts = PatternFirings.Summarize(nodes.SelectMany(n => n.Stats?.Firings ?? []).Where(f => f.At >= since), usersPerRule: 20)
            .ToDictionary(c => c.Rule, StringComparer.Ordinal);
        var rules = options.Rules.Rules
            .Select(r => counts.TryGetValue(r.Code, out var c)
                ? new PatternRuleView(r.Code, r.Description, r.Severity.ToString().ToLowerInvariant(), c.Count, c.Users, c.LastAt)
                : new PatternRuleView(r.Code, r.Description, r.Severity.ToString().ToLowerInvariant(), 0, [], null))
            .OrderByDescending(r => r.Count)
            .ThenBy(r => r.Rule, StringComparer.Ordinal);
        return new PatternsView(since, [.. rules], Missing(nodes));
    }

    private static async Task<Results<Ok<IReadOnlyList<FailedEvent>>, ProblemHttpResult>> FailedAsync(
        [FromQuery(Name = "limit")] int? limit, IRawEventLog log, CancellationToken ct)
    {
        if (limit is < 1 or > 1000)
        {
            return Problems.Field(400, "limit", "must be a whole number from 1 to 1000");
        }
        return TypedResults.Ok(await log.ReadFailedAsync(limit ?? 50, ct));
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
            return TypedResults.Problem(title: "Not found", detail: $"no FAILED raw event has uuid {uuid}", statusCode: 404);
        }
        // Lost or not, the pending sweeper would replay it later too; this makes it immediate.
        grains.RecoverPending(user);
        return TypedResults.Accepted((string?)null, new RetryResult(uuid, user, "PENDING"));
    }

    private static async Task<LogsView> LogsAsync(ClusterProbe probe, CancellationToken ct)
    {
        var nodes = await probe.ProbeAsync(new GetNodeStats(IncludeLogs: true, IncludePatterns: false), ct);
        var lines = nodes
            .SelectMany(n => (n.Stats?.Logs ?? []).Select(l => new NodeLogLine(n.Address, l.At, l.Level, l.Category, l.Message)))
            .OrderBy(l => l.At)
            .TakeLast(300);
        return new LogsView([.. lines], Missing(nodes));
    }

    private static async Task<Results<Ok<JsonElement>, ProblemHttpResult>> UserAsync(
        [FromRoute(Name = "user_id")] string userId, GrainClient grains, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(userId) || userId.Length > 200)
        {
            return Problems.Field(400, "user_id", "must be 1 to 200 characters");
        }
        try
        {
            using var context = JsonDocument.Parse((await grains.GetContextAsync(userId, 20, null, ct)).Json);
            JsonElement? session = null;
            if (LatestSessionId(context.RootElement) is { } sessionId)
            {
                var reply = await grains.GetSessionAsync(sessionId, 20, ct);
                if (reply.Found)
                {
                    using var s = JsonDocument.Parse(reply.Json);
                    session = s.RootElement.Clone();
                }
            }
            return TypedResults.Ok(JsonSerializer.SerializeToElement(new { context = context.RootElement.Clone(), latest_session = session }));
        }
        catch (Exception ex) when (ex is TimeoutException or Akka.Actor.AskTimeoutException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return Problems.Unavailable("The user's grain did not answer in time; retry.");
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

    private static List<string> Missing(IEnumerable<NodeProbe> nodes) => [.. nodes.Where(n => n.Stats is null).Select(n => n.Address)];
}
