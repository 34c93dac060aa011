using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.RuleSets;
using SessionInsights.Domain.Storage;
using SessionInsights.Gateway.Capture;
using SessionInsights.Gateway.OpenApi;
using SessionInsights.Gateway.Security;

namespace SessionInsights.Gateway.Endpoints;

/// <summary>
/// The key's project's pattern rules (docs/patterns-and-sessions.md, "Changing rules"): read, create,
/// change, enable, disable, delete. Every write is a new version of the project's rule set; silos pick
/// it up within about a second (<c>Grains:RulesRefreshInterval</c>), without a restart.
/// </summary>
public static partial class RuleEndpoints
{
    /// <summary>A rule is a few hundred bytes; this leaves room for long descriptions, not for abuse.</summary>
    public const int MaxRuleBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapRules(this IEndpointRouteBuilder app)
    {
        var rules = app.MapGroup("/rules").WithTags("Rules").RequireProjectKey();
        rules.MapGet("/", async (ClaimsPrincipal user, RuleCatalog catalog, IRuleStore store, CancellationToken ct) =>
                TypedResults.Ok(await ListAsync(ProjectKeyAuthentication.ProjectOf(user), catalog, store, ct)))
            .WithName("ListRules")
            .WithSummary("The project's pattern rules in evaluation order, disabled ones included, with the rule set's version");
        rules.MapGet("/{code}", (string code, ClaimsPrincipal user, RuleCatalog catalog, IRuleStore store, CancellationToken ct) =>
                GetAsync(ProjectKeyAuthentication.ProjectOf(user), code, catalog, store, ct))
            .WithName("GetRule")
            .WithSummary("One rule with its whole history (every version: what changed, who, when)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        rules.MapPost("/", async Task<Results<Created<RuleChanged>, ProblemHttpResult>> (HttpRequest request, ClaimsPrincipal user, RuleCatalog catalog, IRuleStore store, CancellationToken ct) =>
            {
                var (changed, refused) = await CreateAsync(ProjectKeyAuthentication.ProjectOf(user), ProjectKeyAuthentication.CallerOf(user), request, catalog, store, ct);
                return refused ?? (Results<Created<RuleChanged>, ProblemHttpResult>)TypedResults.Created($"/rules/{Uri.EscapeDataString(changed!.Code)}", changed);
            })
            .WithName("CreateRule")
            .DescribesBody<RuleDefinition>()
            .WithSummary("Adds a rule (body: one rule object of the rule file format); it applies from the next event on")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        rules.MapPut("/{code}", (string code, HttpRequest request, ClaimsPrincipal user, RuleCatalog catalog, IRuleStore store, CancellationToken ct) =>
                UpdateAsync(ProjectKeyAuthentication.ProjectOf(user), ProjectKeyAuthentication.CallerOf(user), code, request, catalog, store, ct))
            .WithName("UpdateRule")
            .DescribesBody<RuleDefinition>()
            .WithSummary("Replaces a rule's definition; a rule whose conditions changed starts fresh in every session, description and severity edits keep its state")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        rules.MapDelete("/{code}", (string code, ClaimsPrincipal user, RuleCatalog catalog, IRuleStore store, CancellationToken ct) =>
                ChangeAsync(ProjectKeyAuthentication.ProjectOf(user), new RuleChange(code, RuleChangeKind.Delete, null, ProjectKeyAuthentication.CallerOf(user)), catalog, store, ct))
            .WithName("DeleteRule").WithSummary("Deletes a rule: it vanishes from every context; its history stays")
            .ProducesProblem(StatusCodes.Status404NotFound);
        rules.MapPost("/{code}/enable", (string code, ClaimsPrincipal user, RuleCatalog catalog, IRuleStore store, CancellationToken ct) =>
                ChangeAsync(ProjectKeyAuthentication.ProjectOf(user), new RuleChange(code, RuleChangeKind.Enable, null, ProjectKeyAuthentication.CallerOf(user)), catalog, store, ct))
            .WithName("EnableRule").WithSummary("Switches a rule on; it starts fresh from the next event")
            .ProducesProblem(StatusCodes.Status404NotFound);
        rules.MapPost("/{code}/disable", (string code, ClaimsPrincipal user, RuleCatalog catalog, IRuleStore store, CancellationToken ct) =>
                ChangeAsync(ProjectKeyAuthentication.ProjectOf(user), new RuleChange(code, RuleChangeKind.Disable, null, ProjectKeyAuthentication.CallerOf(user)), catalog, store, ct))
            .WithName("DisableRule").WithSummary("Switches a rule off without deleting it; its state is dropped")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    // The operations themselves take the project and who acts: the key-protected routes above pass the
    // key's, the dashboard's (Insights/InsightsRuleEndpoints) the chosen project and "dashboard <user>".

    public static async Task<RuleSetDocument> ListAsync(long projectId, RuleCatalog catalog, IRuleStore store, CancellationToken ct)
    {
        var state = await store.LoadAsync(projectId, catalog.SeedFor(projectId), ct);
        return new RuleSetDocument(DateTimeOffset.UtcNow, projectId, state.Version, [.. state.Rules.Select(RuleDocument.Of)]);
    }

    public static async Task<Results<Ok<RuleWithHistory>, ProblemHttpResult>> GetAsync(
        long projectId, string code, RuleCatalog catalog, IRuleStore store, CancellationToken ct)
    {
        var state = await store.LoadAsync(projectId, catalog.SeedFor(projectId), ct);
        if (state.Rules.FirstOrDefault(r => r.Code == code) is not { } rule)
        {
            return NotFound(code);
        }
        var history = await store.LoadHistoryAsync(projectId, code, ct);
        return TypedResults.Ok(new RuleWithHistory(DateTimeOffset.UtcNow, RuleDocument.Of(rule), [.. history.Select(RuleVersionDocument.Of)]));
    }

    /// <summary>Creates the rule in the body; the caller answers 201 with its own URL for it.</summary>
    public static async Task<(RuleChanged? Changed, ProblemHttpResult? Refused)> CreateAsync(
        long projectId, string changedBy, HttpRequest request, RuleCatalog catalog, IRuleStore store, CancellationToken ct)
    {
        var (rule, definition, problem) = await ReadRuleAsync(request, ct);
        if (problem is not null)
        {
            return (null, problem);
        }
        if (CheckCode(rule!.Code) is { } badCode)
        {
            return (null, badCode);
        }
        return await WriteAsync(projectId, new RuleChange(rule.Code, RuleChangeKind.Create, definition, changedBy), catalog, store, ct);
    }

    public static async Task<Results<Ok<RuleChanged>, ProblemHttpResult>> UpdateAsync(
        long projectId, string changedBy, string code, HttpRequest request, RuleCatalog catalog, IRuleStore store, CancellationToken ct)
    {
        var (rule, definition, problem) = await ReadRuleAsync(request, ct);
        if (problem is not null)
        {
            return problem;
        }
        if (rule!.Code != code)
        {
            return Problems.Field(400, "code", $"is '{rule.Code}' in the body and '{code}' in the URL: a rule's code cannot change (create a new rule and delete this one)");
        }
        return await ChangeAsync(projectId, new RuleChange(code, RuleChangeKind.Update, definition, changedBy), catalog, store, ct);
    }

    /// <summary>An enable, disable or delete (or an update already validated).</summary>
    public static async Task<Results<Ok<RuleChanged>, ProblemHttpResult>> ChangeAsync(
        long projectId, RuleChange change, RuleCatalog catalog, IRuleStore store, CancellationToken ct)
    {
        var (changed, refused) = await WriteAsync(projectId, change, catalog, store, ct);
        return refused ?? (Results<Ok<RuleChanged>, ProblemHttpResult>)TypedResults.Ok(changed);
    }

    private static async Task<(RuleChanged? Changed, ProblemHttpResult? Refused)> WriteAsync(
        long projectId, RuleChange change, RuleCatalog catalog, IRuleStore store, CancellationToken ct)
    {
        var result = await store.WriteAsync(projectId, change, catalog.SeedFor(projectId), ct);
        switch (result.Status)
        {
            case RuleWriteStatus.NotFound:
                return (null, NotFound(change.Code));
            case RuleWriteStatus.Exists:
                return (null, TypedResults.Problem(title: "Rule exists", detail: $"code '{change.Code}' is taken: change it with PUT /rules/{change.Code}",
                    statusCode: StatusCodes.Status409Conflict, extensions: FieldErrors("code", "is taken by an existing rule")));
            case RuleWriteStatus.Written:
                // This process's grains switch now; the other processes' within their refresh interval.
                await catalog.RefreshAsync(ct);
                break;
        }
        return (new RuleChanged(change.Code, RulePlan.ToText(change.Kind), result.Status == RuleWriteStatus.Written, result.Version), null);
    }

    /// <summary>The body as one validated rule; a problem naming the rule and the field otherwise.</summary>
    public static async Task<(PatternRule? Rule, string? Definition, ProblemHttpResult? Problem)> ReadRuleAsync(HttpRequest request, CancellationToken ct)
    {
        var body = await BoundedBuffer.ReadAsync(request.Body, MaxRuleBytes, ct);
        if (body is null)
        {
            return (null, null, Problems.Field(413, "body", $"is larger than {MaxRuleBytes} bytes"));
        }
        try
        {
            var (rule, definition) = PatternRuleSet.ParseDefinition(System.Text.Encoding.UTF8.GetString(body));
            return (rule, definition, null);
        }
        catch (PatternRuleException ex)
        {
            // The parser speaks of a rule file ("rules[0]"); here the body is the one rule.
            var detail = ex.Message.Replace("rules[0] ", "", StringComparison.Ordinal);
            var field = ex.Field ?? "rule";
            return (null, null, TypedResults.Problem(title: "Invalid rule", detail: detail, statusCode: StatusCodes.Status400BadRequest,
                extensions: FieldErrors(field, detail)));
        }
    }

    /// <summary>Null when the code can name a new rule; a problem naming <c>code</c> otherwise.</summary>
    public static ProblemHttpResult? CheckCode(string code) =>
        CodePattern().IsMatch(code) ? null : Problems.Field(400, "code", "must be 1 to 100 letters, digits, '_', '-' or '.' (it is part of the rule's URL)");

    internal static ProblemHttpResult NotFound(string code) =>
        TypedResults.Problem(title: "Rule not found", detail: $"the project has no rule '{code}' (GET /rules lists them)",
            statusCode: StatusCodes.Status404NotFound, extensions: FieldErrors("code", "names no rule of the project"));

    private static Dictionary<string, object?> FieldErrors(string field, string problem) =>
        new() { ["errors"] = new Dictionary<string, string[]> { [field] = [problem] } };

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,100}$")]
    private static partial Regex CodePattern();
}

/// <summary>A project's rules at one version of its set; <see cref="GeneratedAt"/> is the server's time of the answer.</summary>
public sealed record RuleSetDocument(DateTimeOffset GeneratedAt, long ProjectId, long Version, IReadOnlyList<RuleDocument> Rules);

/// <summary>A rule as it stands: <see cref="Rule"/> is its definition in the rule file format.</summary>
public sealed record RuleDocument(string Code, bool Enabled, long Version, string ChangedBy, DateTimeOffset ChangedAt, JsonElement Rule)
{
    public static RuleDocument Of(StoredRule r) =>
        new(r.Code, r.Enabled, r.Version, r.ChangedBy, r.ChangedAt.ToUniversalTime(), JsonDocument.Parse(r.Definition).RootElement.Clone());
}

/// <summary>One version of a rule; <see cref="Rule"/> is null for a delete.</summary>
public sealed record RuleVersionDocument(long Version, string Change, bool Enabled, string ChangedBy, DateTimeOffset ChangedAt, JsonElement? Rule)
{
    public static RuleVersionDocument Of(RuleVersion v) =>
        new(v.Version, RulePlan.ToText(v.Kind), v.Enabled, v.ChangedBy, v.ChangedAt.ToUniversalTime(),
            v.Definition is { } d ? JsonDocument.Parse(d).RootElement.Clone() : null);
}

public sealed record RuleWithHistory(DateTimeOffset GeneratedAt, RuleDocument Current, IReadOnlyList<RuleVersionDocument> History);

/// <summary>The answer to a write: whether it made a new version (false: the rule already was so) and the set's version.</summary>
public sealed record RuleChanged(string Code, string Change, bool Written, long Version);
