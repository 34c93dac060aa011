using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using SessionInsights.Domain.Backtests;
using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.RuleSets;
using SessionInsights.Domain.Storage;
using SessionInsights.Gateway.Ingestion;
using SessionInsights.Gateway.OpenApi;
using SessionInsights.Gateway.Security;

namespace SessionInsights.Gateway.Endpoints;

/// <summary>
/// <c>POST /rules/backtest</c>: replays a draft rule over the key's project's stored events of a period
/// (docs/patterns-and-sessions.md "Backtest"). The work is <see cref="RuleBacktester"/>'s, so a route
/// for a saved rule only has to find the rule and call <see cref="RunAsync"/>.
/// </summary>
public static class RuleBacktestEndpoints
{
    /// <summary>A rule is a few hundred bytes; a body this large is a mistake, not a rule.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapRuleBacktests(this IEndpointRouteBuilder app)
    {
        var rules = app.MapGroup("/rules").WithTags("Rules");
        rules.MapPost("/backtest", (HttpRequest request, ClaimsPrincipal user, RuleBacktester backtester, TimeProvider time, CancellationToken ct) =>
                BacktestDraftAsync(ProjectKeyAuthentication.ProjectOf(user), request, backtester, time, ct))
            .WithName("BacktestDraftRule")
            .WithSummary("Replays a draft pattern rule over the project's stored events of a period")
            .WithDescription("Body: {\"rule\": {one rule in the rule file format}, \"from\": ISO 8601, \"to\": ISO 8601}. to defaults to now, from to 7 days before to; at most 30 days. Each stored session of the period (its events in the period, in arrival order) goes through the live incremental engine. Answers sessions and users matched, the share of sessions, matches per UTC day of first match, up to 20 example sessions with their evidence and a link to the dashboard's user inspector, events scanned and elapsed time.")
            .Accepts<JsonElement>("application/json").DescribesBody<BacktestRequest>()
            .Produces<BacktestResponse>(StatusCodes.Status200OK, "application/json")
            .RequireProjectKey()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        rules.MapPost("/{code}/backtest", BacktestSavedAsync)
            .WithName("BacktestRule")
            .WithSummary("Replays one of the project's saved rules (enabled or not) over its stored events of a period")
            .WithDescription("Body (optional): {\"from\": ISO 8601, \"to\": ISO 8601}, the same defaults and limits as POST /rules/backtest, and the same answer.")
            .DescribesBody<BacktestPeriodRequest>(required: false)
            .Produces<BacktestResponse>(StatusCodes.Status200OK, "application/json")
            .RequireProjectKey()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<Results<Ok<BacktestResponse>, ProblemHttpResult>> BacktestSavedAsync(
        string code, HttpRequest request, ClaimsPrincipal user, RuleCatalog catalog, IRuleStore store, RuleBacktester backtester, TimeProvider time, CancellationToken ct)
    {
        var projectId = ProjectKeyAuthentication.ProjectOf(user);
        BacktestPeriod period = default;
        // No body means the default period.
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            var read = await IngestBodyReader.ReadJsonAsync(request, MaxBodyBytes, ct);
            if (read.Document is not { } body)
            {
                return Problems.Field(read.Status, read.Field ?? "body", read.Problem ?? "is not valid");
            }
            using (body)
            {
                if (body.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return Problems.Field(400, "body", "must be a JSON object");
                }
                if (ReadPeriod(body.RootElement, time.GetUtcNow(), out period) is { } invalid)
                {
                    return invalid;
                }
            }
        }
        else if (BacktestPeriod.TryParse(null, null, time.GetUtcNow(), out period) is { } bad)
        {
            return Problems.Field(400, bad.Field, bad.Problem);
        }
        var state = await store.LoadAsync(projectId, catalog.SeedFor(projectId), ct);
        if (state.Rules.FirstOrDefault(r => r.Code == code) is not { } saved)
        {
            return RuleEndpoints.NotFound(code);
        }
        return await RunAsync(backtester, projectId, PatternRuleSet.FromDefinitions([saved.Definition]), period, ct);
    }

    /// <summary>The draft backtest of a project, whoever asks: the key's route above, the dashboard's (Insights/InsightsRuleEndpoints).</summary>
    public static async Task<Results<Ok<BacktestResponse>, ProblemHttpResult>> BacktestDraftAsync(
        long projectId, HttpRequest request, RuleBacktester backtester, TimeProvider time, CancellationToken ct)
    {
        // The ingest endpoints' reader: a size limit that does not trust Content-Length, UTF-8 and JSON checked.
        var read = await IngestBodyReader.ReadJsonAsync(request, MaxBodyBytes, ct);
        if (read.Document is not { } body)
        {
            return Problems.Field(read.Status, read.Field ?? "body", read.Problem ?? "is not valid");
        }
        using (body)
        {
            var root = body.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Problems.Field(400, "body", "must be a JSON object");
            }
            if (!root.TryGetProperty("rule", out var ruleElement))
            {
                return Problems.Field(400, "rule", "is missing");
            }
            if (ReadPeriod(root, time.GetUtcNow(), out var period) is { } invalidPeriod)
            {
                return invalidPeriod;
            }
            PatternRuleSet rule;
            try
            {
                rule = RuleBacktester.ParseRule(ruleElement);
            }
            catch (PatternRuleException ex)
            {
                return Problems.Field(400, ex.Field is null ? "rule" : "rule." + ex.Field, ex.Message);
            }
            return await RunAsync(backtester, projectId, rule, period, ct);
        }
    }

    /// <summary>Reads <c>from</c> and <c>to</c> of a request body (absent or null: the defaults); a 400 naming the field, or null.</summary>
    public static ProblemHttpResult? ReadPeriod(JsonElement body, DateTimeOffset now, out BacktestPeriod period)
    {
        period = default;
        if (ReadText(body, "from", out var from) is { } badFrom)
        {
            return badFrom;
        }
        if (ReadText(body, "to", out var to) is { } badTo)
        {
            return badTo;
        }
        return BacktestPeriod.TryParse(from, to, now, out period) is { } bad ? Problems.Field(400, bad.Field, bad.Problem) : null;
    }

    private static ProblemHttpResult? ReadText(JsonElement body, string name, out string? text)
    {
        text = null;
        if (!body.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (element.ValueKind != JsonValueKind.String)
        {
            return Problems.Field(400, name, "must be a string (an ISO 8601 time)");
        }
        text = element.GetString();
        return null;
    }

    /// <summary>Runs a parsed one-rule set and shapes the answer; storage failures become a retryable 503.</summary>
    public static async Task<Results<Ok<BacktestResponse>, ProblemHttpResult>> RunAsync(
        RuleBacktester backtester, long projectId, PatternRuleSet rule, BacktestPeriod period, CancellationToken ct)
    {
        try
        {
            var report = await backtester.RunAsync(projectId, rule, period, ct);
            return TypedResults.Ok(BacktestResponse.Of(report, projectId));
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is not OutOfMemoryException and not ArgumentException)
        {
            return Problems.Unavailable($"The stored events could not be read ({ex.GetType().Name}); retry.");
        }
    }
}

/// <summary>The answer of a backtest (snake_case on the wire).</summary>
public sealed record BacktestResponse(
    DateTimeOffset GeneratedAt,
    string RuleCode,
    DateTimeOffset From,
    DateTimeOffset To,
    long EventsScanned,
    long SessionsTotal,
    long SessionsMatched,
    long UsersTotal,
    long UsersMatched,
    double Share,
    IReadOnlyList<BacktestDay> MatchesPerDay,
    IReadOnlyList<BacktestExampleResponse> Examples,
    double ElapsedMs)
{
    public static BacktestResponse Of(BacktestReport report, long projectId)
    {
        var r = report.Result;
        return new BacktestResponse(
            DateTimeOffset.UtcNow, report.RuleCode, report.Period.From, report.Period.To, r.EventsScanned, r.SessionsTotal, r.SessionsMatched,
            r.UsersTotal, r.UsersMatched, Math.Round(r.Share, 6), r.MatchesPerDay,
            [.. r.Examples.Select(e => BacktestExampleResponse.Of(e, projectId))],
            Math.Round(report.Elapsed.TotalMilliseconds, 1));
    }
}

/// <summary>One example session; <see cref="InspectorUrl"/> opens the dashboard's user inspector on its user.</summary>
public sealed record BacktestExampleResponse(
    string SessionId,
    string UserId,
    DateTimeOffset MatchedAt,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    int SessionEvents,
    IReadOnlyList<Guid> EvidenceEventIds,
    string InspectorUrl)
{
    public static BacktestExampleResponse Of(BacktestExample e, long projectId) => new(
        e.SessionId, e.UserId, e.MatchedAt, e.FirstSeen, e.LastSeen, e.SessionEvents, e.EvidenceEventIds,
        $"/insights?user={Uri.EscapeDataString(e.UserId)}&project={projectId}");
}
