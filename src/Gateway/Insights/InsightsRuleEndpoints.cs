using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using SessionInsights.Domain.Backtests;
using SessionInsights.Domain.RuleSets;
using SessionInsights.Domain.Storage;
using SessionInsights.Gateway.Endpoints;
using SessionInsights.Gateway.OpenApi;
using SessionInsights.Grains.Abstractions;
using SessionInsights.Grains.Monitoring;

namespace SessionInsights.Gateway.Insights;

/// <summary>
/// The Rules page's JSON (docs/dashboard.md): any project's rules behind the dashboard's basic auth,
/// <c>?project=</c> choosing it (default 1). Every operation is the rules API's own
/// (<see cref="RuleEndpoints"/>), so answers and 400 problems are the same; only who acts differs
/// ("dashboard &lt;username&gt;" in the history instead of "key N").
/// </summary>
public static class InsightsRuleEndpoints
{
    public static RouteGroupBuilder MapInsightsRules(this RouteGroupBuilder api)
    {
        var rules = api.MapGroup("/rules");
        rules.MapGet("/", ListAsync)
            .WithSummary("A project's rules with how often each fired in the last hour and day (null when the insights hub did not answer)")
            .ProducesProblem(400).ProducesProblem(404);
        rules.MapGet("/{code}", (string code, [FromQuery(Name = "project")] string? project, IProjectStore projects, RuleCatalog catalog, IRuleStore store, CancellationToken ct) =>
                InProject(project, projects, ct, id => RuleEndpoints.GetAsync(id, code, catalog, store, ct)))
            .WithSummary("One rule of the project with its whole history").ProducesProblem(400).ProducesProblem(404);
        rules.MapPost("/validate", ValidateAsync)
            .WithSummary("Checks a draft rule without saving it: 200 with the rule as it would be stored, or the 400 problem POST /rules would answer")
            .DescribesBody<RuleDefinition>().ProducesProblem(400);
        rules.MapPost("/backtest", (HttpRequest request, [FromQuery(Name = "project")] string? project, IProjectStore projects, RuleBacktester backtester, TimeProvider time, CancellationToken ct) =>
                InProject(project, projects, ct, id => RuleBacktestEndpoints.BacktestDraftAsync(id, request, backtester, time, ct)))
            .WithSummary("Replays a draft rule over the project's stored events, as POST /rules/backtest does (same body, same answer)")
            .DescribesBody<BacktestRequest>()
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(503);
        rules.MapPost("/", CreateAsync)
            .WithSummary("Adds a rule to the project, as POST /rules does").DescribesBody<RuleDefinition>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        rules.MapPut("/{code}", (string code, [FromQuery(Name = "project")] string? project, HttpRequest request, IOptions<DashboardOptions> options, IProjectStore projects, RuleCatalog catalog, IRuleStore store, CancellationToken ct) =>
                InProject(project, projects, ct, id => RuleEndpoints.UpdateAsync(id, ChangedBy(options), code, request, catalog, store, ct)))
            .WithSummary("Replaces a rule's definition, as PUT /rules/{code} does").DescribesBody<RuleDefinition>().ProducesProblem(400).ProducesProblem(404);
        rules.MapDelete("/{code}", (string code, [FromQuery(Name = "project")] string? project, IOptions<DashboardOptions> options, IProjectStore projects, RuleCatalog catalog, IRuleStore store, CancellationToken ct) =>
                Change(project, code, RuleChangeKind.Delete, options, projects, catalog, store, ct))
            .WithSummary("Deletes a rule; its history stays").ProducesProblem(400).ProducesProblem(404);
        rules.MapPost("/{code}/enable", (string code, [FromQuery(Name = "project")] string? project, IOptions<DashboardOptions> options, IProjectStore projects, RuleCatalog catalog, IRuleStore store, CancellationToken ct) =>
                Change(project, code, RuleChangeKind.Enable, options, projects, catalog, store, ct))
            .WithSummary("Switches a rule on").ProducesProblem(400).ProducesProblem(404);
        rules.MapPost("/{code}/disable", (string code, [FromQuery(Name = "project")] string? project, IOptions<DashboardOptions> options, IProjectStore projects, RuleCatalog catalog, IRuleStore store, CancellationToken ct) =>
                Change(project, code, RuleChangeKind.Disable, options, projects, catalog, store, ct))
            .WithSummary("Switches a rule off without deleting it").ProducesProblem(400).ProducesProblem(404);
        return rules;
    }

    /// <summary>Who the history records: the dashboard's basic-auth user (the only one it lets in), or anonymous when auth is off.</summary>
    public static string ChangedBy(IOptions<DashboardOptions> options) =>
        "dashboard " + (options.Value.RequiresAuth ? options.Value.Username : "anonymous");

    private static async Task<Results<Ok<DashboardRuleList>, ProblemHttpResult>> ListAsync(
        [FromQuery(Name = "project")] string? project, IProjectStore projects, RuleCatalog catalog, IRuleStore store, IGrainFactory grains, CancellationToken ct)
    {
        var (projectId, badProject) = await DashboardProject.ExistingAsync(project, projects, ct);
        if (badProject is not null)
        {
            return badProject;
        }
        var set = await RuleEndpoints.ListAsync(projectId, catalog, store, ct);
        // The list stands without the counts: a hub that is moving costs the figures, not the page.
        var asked = await InsightsApiEndpoints.AskHubAsync(grains, hub => hub.GetRuleFirings(projectId), ct);
        var fired = asked.Result is Ok<IReadOnlyList<RuleFiringCount>> { Value: { } counts }
            ? counts.ToDictionary(c => c.Rule, StringComparer.Ordinal)
            : null;
        var rows = set.Rules.Select(r =>
        {
            var count = fired is null ? null : fired.GetValueOrDefault(r.Code) ?? new RuleFiringCount(r.Code, 0, 0);
            return new DashboardRule(r.Code, r.Enabled, r.Version, r.ChangedBy, r.ChangedAt, count?.LastHour, count?.LastDay, r.Rule);
        });
        return TypedResults.Ok(new DashboardRuleList(DateTimeOffset.UtcNow, projectId, set.Version, fired is not null, [.. rows]));
    }

    private static async Task<Results<Ok<ValidRule>, ProblemHttpResult>> ValidateAsync(HttpRequest request, CancellationToken ct)
    {
        var (rule, definition, problem) = await RuleEndpoints.ReadRuleAsync(request, ct);
        if (problem is not null)
        {
            return problem;
        }
        if (RuleEndpoints.CheckCode(rule!.Code) is { } badCode)
        {
            return badCode;
        }
        using var stored = JsonDocument.Parse(definition!);
        return TypedResults.Ok(new ValidRule(rule.Code, stored.RootElement.Clone()));
    }

    private static async Task<Results<Created<RuleChanged>, ProblemHttpResult>> CreateAsync(
        [FromQuery(Name = "project")] string? project, HttpRequest request, IOptions<DashboardOptions> options, IProjectStore projects, RuleCatalog catalog, IRuleStore store, CancellationToken ct)
    {
        var (projectId, badProject) = await DashboardProject.ExistingAsync(project, projects, ct);
        if (badProject is not null)
        {
            return badProject;
        }
        var (changed, refused) = await RuleEndpoints.CreateAsync(projectId, ChangedBy(options), request, catalog, store, ct);
        return refused ?? (Results<Created<RuleChanged>, ProblemHttpResult>)TypedResults.Created(
            $"/insights/api/rules/{Uri.EscapeDataString(changed!.Code)}?project={projectId}", changed);
    }

    private static Task<Results<Ok<RuleChanged>, ProblemHttpResult>> Change(
        string? project, string code, RuleChangeKind kind, IOptions<DashboardOptions> options, IProjectStore projects, RuleCatalog catalog, IRuleStore store, CancellationToken ct) =>
        InProject(project, projects, ct, id => RuleEndpoints.ChangeAsync(id, new RuleChange(code, kind, null, ChangedBy(options)), catalog, store, ct));

    private static async Task<Results<Ok<T>, ProblemHttpResult>> InProject<T>(
        string? project, IProjectStore projects, CancellationToken ct, Func<long, Task<Results<Ok<T>, ProblemHttpResult>>> operation)
    {
        var (projectId, badProject) = await DashboardProject.ExistingAsync(project, projects, ct);
        return badProject ?? await operation(projectId);
    }
}

/// <summary>A project's rules at one version of its set, each with its firings (<see cref="FiringsKnown"/> false: the hub did not answer).</summary>
public sealed record DashboardRuleList(DateTimeOffset GeneratedAt, long ProjectId, long Version, bool FiringsKnown, IReadOnlyList<DashboardRule> Rules);

/// <summary>A rule as the API lists it, with how often it newly matched a session in the last hour and day.</summary>
public sealed record DashboardRule(
    string Code, bool Enabled, long Version, string ChangedBy, DateTimeOffset ChangedAt, int? FiredLastHour, int? FiredLastDay, JsonElement Rule);

/// <summary>A draft that passed validation, as it would be stored (compact, normalized JSON).</summary>
public sealed record ValidRule(string Code, JsonElement Rule);
