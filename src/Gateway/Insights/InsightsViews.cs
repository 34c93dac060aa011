using SessionInsights.Gateway.Endpoints;
using SessionInsights.Grains.Monitoring;

namespace SessionInsights.Gateway.Insights;

public sealed record PatternsView(DateTimeOffset GeneratedAt, DateTimeOffset Since, IReadOnlyList<PatternRuleView> Rules);

/// <summary>One configured rule: how often it newly matched a session since <see cref="PatternsView.Since"/>, and for whom.</summary>
public sealed record PatternRuleView(string Rule, string Description, string Severity, int Count, IReadOnlyList<string> Users, DateTimeOffset? LastAt);

public sealed record LogsView(DateTimeOffset GeneratedAt, IReadOnlyList<NodeLogLine> Lines);

public sealed record RetryResult(Guid Uuid, long ProjectId, string DistinctId, string Status);

public sealed record DeadLetterCount(long Count);

/// <summary>
/// The user inspector's answer (described for the OpenAPI document; the endpoint splices the grains' JSON):
/// the context and the latest session as GET /session/context/{id} and GET /session/{id} serve them.
/// </summary>
public sealed record InsightsUserDocument(DateTimeOffset GeneratedAt, UserContextDocument Context, SessionDocument? LatestSession);
