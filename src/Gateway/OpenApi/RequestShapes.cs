using System.ComponentModel;
using System.Text.Json;

namespace SessionInsights.Gateway.OpenApi;

// Request bodies the endpoints read themselves (to name the field at fault in a 400): these types only
// describe them for the OpenAPI document. A parameter without a default is a required field.

/// <summary>The body of <c>POST /rules/backtest</c>.</summary>
public sealed record BacktestRequest(
    [property: Description("Required. One rule in the rule file format (see POST /rules).")] RuleDefinition Rule,
    [property: Description("Start of the period (ISO 8601); default 7 days before to.")] DateTimeOffset? From = null,
    [property: Description("End of the period (ISO 8601); default now. At most 30 days after from.")] DateTimeOffset? To = null);

/// <summary>The body of <c>POST /rules/{code}/backtest</c> (optional).</summary>
public sealed record BacktestPeriodRequest(
    [property: Description("Start of the period (ISO 8601); default 7 days before to.")] DateTimeOffset? From = null,
    [property: Description("End of the period (ISO 8601); default now. At most 30 days after from.")] DateTimeOffset? To = null);

/// <summary>One pattern rule in the rule file format (docs/patterns-and-sessions.md, "Rule file").</summary>
public sealed record RuleDefinition(
    [property: Description("Required. 1 to 100 letters, digits, '_', '-' or '.'; part of the rule's URL.")] string Code,
    [property: Description("Required. What the pattern means, for a reader.")] string Description,
    [property: Description("Required. HIGH, MEDIUM or LOW (any casing in; capitals out).")] string Severity,
    [property: Description("Which events count: event_name, event_type, action_type, page_path_prefix, page_path_equals, semantic_contains, semantic_words, property {name, equals}.")] JsonElement? Filter = null,
    [property: Description("How many matching events fire the rule (default 1).")] int? MinCount = null,
    [property: Description("Within how many seconds the min_count events must fall.")] int? TimeWindowSeconds = null,
    [property: Description("Events that cancel the pattern when they follow within negative_time_window_seconds.")] JsonElement? NegativeFilter = null,
    [property: Description("How long the pattern stays pending, waiting for a negative_filter event.")] int? NegativeTimeWindowSeconds = null,
    [property: Description("Conditions on the whole session: min/max_duration_seconds, min/max_events, min/max_page_views, …")] JsonElement? SessionFilter = null);

/// <summary>The body of <c>POST /ingest</c>: a PostHog webhook's event, with or without the envelope.</summary>
public sealed record IngestRequest(
    [property: Description("The PostHog event: event, distinct_id, uuid, timestamp, properties ($session_id, $current_url, $el_text, …). A bare event (without this envelope) is accepted too.")] JsonElement Event,
    [property: Description("PostHog's person, ignored.")] JsonElement? Person = null);
