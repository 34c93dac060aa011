using System.Globalization;
using System.Text.Json;

namespace SessionInsights.Domain.Patterns;

/// <summary>
/// Reads the rule file format (<c>{"rules": [ … ]}</c>, snake_case fields). Strict on purpose: a typo in
/// a field name or an impossible bound would otherwise silently disable a rule in production.
/// </summary>
internal static class PatternRuleParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly string[] RuleFields =
    [
        "code", "description", "severity", "filter", "min_count", "time_window_seconds",
        "negative_filter", "negative_time_window_seconds", "session_filter",
    ];

    private static readonly string[] FilterFields =
    [
        "event_name", "event_type", "action_type", "page_path_prefix", "page_path_equals", "semantic_contains",
        "semantic_words", "property",
    ];

    private static readonly string[] PropertyFields = ["name", "equals"];

    private static readonly string[] SessionFilterFields =
    [
        "min_duration_seconds", "max_duration_seconds", "min_events", "max_events", "min_page_views", "max_page_views",
    ];

    // TimeSpan holds ±29,000 years; a century is more than any session and keeps arithmetic far from overflow.
    private const double MaxSeconds = 100 * 365.25 * 24 * 3600;

    public static List<PatternRule> Parse(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new PatternRuleException($"Pattern rule file is not valid JSON: {ex.Message}", null, null, null, ex);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new PatternRuleException("Pattern rule file must be a JSON object with a 'rules' array.", field: "rules");
            }
            JsonElement rulesElement = default;
            var seenRules = false;
            foreach (var p in root.EnumerateObject())
            {
                if (p.Name != "rules")
                {
                    throw new PatternRuleException($"Pattern rule file: unknown top-level field '{p.Name}' (expected only 'rules').", field: p.Name);
                }
                rulesElement = p.Value;
                seenRules = true;
            }
            if (!seenRules || rulesElement.ValueKind != JsonValueKind.Array)
            {
                throw new PatternRuleException("Pattern rule file must have a 'rules' array.", field: "rules");
            }

            var rules = new List<PatternRule>(rulesElement.GetArrayLength());
            var indexByCode = new Dictionary<string, int>(StringComparer.Ordinal);
            var index = 0;
            foreach (var element in rulesElement.EnumerateArray())
            {
                var rule = ParseRule(element, index);
                if (indexByCode.TryGetValue(rule.Code, out var first))
                {
                    throw new RuleContext(index, rule.Code).Error("code", $"duplicates the code of rules[{first}]");
                }
                indexByCode.Add(rule.Code, index);
                rules.Add(rule);
                index++;
            }
            return rules;
        }
    }

    private static PatternRule ParseRule(JsonElement element, int index)
    {
        var ctx = new RuleContext(index, null);
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw ctx.Error(null, "must be a JSON object");
        }

        // The code first, so that every later message can name the rule by it.
        if (element.TryGetProperty("code", out var codeElement) && codeElement.ValueKind == JsonValueKind.String
            && !string.IsNullOrWhiteSpace(codeElement.GetString()))
        {
            ctx = new RuleContext(index, codeElement.GetString());
        }
        CheckFields(element, RuleFields, null, ctx);

        var code = RequiredString(element, "code", ctx);
        var description = RequiredString(element, "description", ctx);
        var severityText = RequiredString(element, "severity", ctx);
        if (!PatternSeverityNames.TryParse(severityText, out var severity))
        {
            throw ctx.Error("severity", $"has unknown value '{severityText}' (expected LOW, MEDIUM or HIGH)");
        }

        var filter = OptionalFilter(element, "filter", ctx);
        var minCount = OptionalInt(element, "min_count", 1, ctx);
        var timeWindow = OptionalSeconds(element, "time_window_seconds", ctx);
        var negativeFilter = OptionalFilter(element, "negative_filter", ctx);
        var negativeWindow = OptionalSeconds(element, "negative_time_window_seconds", ctx);
        var sessionFilter = OptionalSessionFilter(element, ctx);

        if (filter is null)
        {
            if (sessionFilter is null)
            {
                throw ctx.Error("filter", "is missing: a rule needs a 'filter', a 'session_filter' or both");
            }
            foreach (var dependent in (ReadOnlySpan<string>)["min_count", "time_window_seconds", "negative_filter"])
            {
                if (IsPresent(element, dependent))
                {
                    throw ctx.Error(dependent, "needs a positive 'filter' (a rule without one matches on its session filter alone)");
                }
            }
        }
        if (negativeWindow is not null && negativeFilter is null)
        {
            throw ctx.Error("negative_time_window_seconds", "needs a 'negative_filter'");
        }

        return new PatternRule
        {
            Code = code,
            Description = description,
            Severity = severity,
            Filter = filter,
            MinCount = minCount ?? 1,
            TimeWindow = timeWindow,
            NegativeFilter = negativeFilter,
            NegativeTimeWindow = negativeWindow,
            SessionFilter = sessionFilter,
        };
    }

    private static EventFilter? OptionalFilter(JsonElement rule, string name, RuleContext ctx)
    {
        if (!rule.TryGetProperty(name, out var f) || f.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (f.ValueKind != JsonValueKind.Object)
        {
            throw ctx.Error(name, "must be a JSON object");
        }
        CheckFields(f, FilterFields, name, ctx);
        var filter = new EventFilter
        {
            EventName = OptionalEventNames(f, name, ctx),
            EventType = OptionalString(f, "event_type", name, ctx),
            ActionType = OptionalString(f, "action_type", name, ctx),
            PagePathPrefix = OptionalString(f, "page_path_prefix", name, ctx),
            PagePathEquals = OptionalString(f, "page_path_equals", name, ctx),
            SemanticContains = OptionalString(f, "semantic_contains", name, ctx),
            SemanticWords = OptionalWords(f, name, ctx),
            Property = OptionalProperty(f, name, ctx),
        };
        // An empty filter would match every event; that is almost certainly a mistake in a rule file.
        if (filter == new EventFilter())
        {
            throw ctx.Error(name, $"has no conditions (use one of {string.Join(", ", FilterFields)})");
        }
        return filter;
    }

    /// <summary><c>event_name</c>: one name, or an array of names any of which matches.</summary>
    private static EventNameList? OptionalEventNames(JsonElement filter, string parent, RuleContext ctx)
    {
        const string name = "event_name";
        if (!filter.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (v.ValueKind == JsonValueKind.String)
        {
            return new EventNameList([OptionalString(filter, name, parent, ctx)!]);
        }
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() == 0)
        {
            throw ctx.Error(Join(parent, name), $"must be an event name or a non-empty array of event names (got {Describe(v)})");
        }
        var names = new List<string>();
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
            {
                throw ctx.Error(Join(parent, name), $"must hold non-empty strings only (got {Describe(item)})");
            }
            names.Add(item.GetString()!);
        }
        return new EventNameList(names);
    }

    private static string? OptionalWords(JsonElement filter, string parent, RuleContext ctx)
    {
        var words = OptionalString(filter, "semantic_words", parent, ctx);
        // A phrase that starts or ends with a non-word character can still match, but its boundary
        // then falls on the label's next character; whitespace at the ends is surely a typo.
        if (words is not null && words.Trim().Length != words.Length)
        {
            throw ctx.Error(Join(parent, "semantic_words"), "must not start or end with whitespace");
        }
        return words;
    }

    private static PropertyCondition? OptionalProperty(JsonElement filter, string parent, RuleContext ctx)
    {
        const string name = "property";
        var path = Join(parent, name);
        if (!filter.TryGetProperty(name, out var p) || p.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (p.ValueKind != JsonValueKind.Object)
        {
            throw ctx.Error(path, "must be a JSON object like {\"name\": \"plan\", \"equals\": \"pro\"}");
        }
        CheckFields(p, PropertyFields, path, ctx);
        var key = OptionalString(p, "name", path, ctx) ?? throw ctx.Error(Join(path, "name"), "is missing");
        if (!p.TryGetProperty("equals", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw ctx.Error(Join(path, "equals"), "is missing");
        }
        var (kind, text) = value.ValueKind switch
        {
            JsonValueKind.String => (PropertyValueKind.String, value.GetString()!),
            JsonValueKind.Number when value.TryGetDouble(out var d) && double.IsFinite(d) =>
                (PropertyValueKind.Number, d.ToString("R", CultureInfo.InvariantCulture)),
            JsonValueKind.True => (PropertyValueKind.Boolean, "true"),
            JsonValueKind.False => (PropertyValueKind.Boolean, "false"),
            _ => throw ctx.Error(Join(path, "equals"), $"must be a string, a number or a boolean (got {Describe(value)})"),
        };
        return new PropertyCondition { Name = key, Kind = kind, Value = text };
    }

    private static SessionFilter? OptionalSessionFilter(JsonElement rule, RuleContext ctx)
    {
        const string name = "session_filter";
        if (!rule.TryGetProperty(name, out var f) || f.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (f.ValueKind != JsonValueKind.Object)
        {
            throw ctx.Error(name, "must be a JSON object");
        }
        CheckFields(f, SessionFilterFields, name, ctx);
        var filter = new SessionFilter
        {
            MinDuration = OptionalSeconds(f, "min_duration_seconds", ctx, name),
            MaxDuration = OptionalSeconds(f, "max_duration_seconds", ctx, name),
            MinEvents = OptionalInt(f, "min_events", 0, ctx, name),
            MaxEvents = OptionalInt(f, "max_events", 0, ctx, name),
            MinPageViews = OptionalInt(f, "min_page_views", 0, ctx, name),
            MaxPageViews = OptionalInt(f, "max_page_views", 0, ctx, name),
        };
        if (filter == new SessionFilter())
        {
            throw ctx.Error(name, $"has no conditions (use one of {string.Join(", ", SessionFilterFields)})");
        }
        CheckOrder(filter.MinDuration, filter.MaxDuration, "duration_seconds", ctx);
        CheckOrder(filter.MinEvents, filter.MaxEvents, "events", ctx);
        CheckOrder(filter.MinPageViews, filter.MaxPageViews, "page_views", ctx);
        return filter;
    }

    private static void CheckOrder<T>(T? min, T? max, string suffix, RuleContext ctx) where T : struct, IComparable<T>
    {
        if (min is { } lo && max is { } hi && lo.CompareTo(hi) > 0)
        {
            throw ctx.Error($"session_filter.max_{suffix}", $"is less than session_filter.min_{suffix}");
        }
    }

    private static void CheckFields(JsonElement obj, string[] allowed, string? parent, RuleContext ctx)
    {
        // Duplicate names are legal JSON but ambiguous (which one wins?), so they are refused too.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
        {
            if (Array.IndexOf(allowed, p.Name) < 0)
            {
                throw ctx.Error(Join(parent, p.Name), $"is not a known field (known: {string.Join(", ", allowed)})");
            }
            if (!seen.Add(p.Name))
            {
                throw ctx.Error(Join(parent, p.Name), "appears more than once");
            }
        }
    }

    private static bool IsPresent(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    private static string RequiredString(JsonElement obj, string name, RuleContext ctx) =>
        OptionalString(obj, name, null, ctx) ?? throw ctx.Error(name, "is missing");

    private static string? OptionalString(JsonElement obj, string name, string? parent, RuleContext ctx)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.String)
        {
            throw ctx.Error(Join(parent, name), $"must be a string (got {Describe(v)})");
        }
        var s = v.GetString()!;
        if (string.IsNullOrWhiteSpace(s))
        {
            throw ctx.Error(Join(parent, name), "must not be empty");
        }
        return s;
    }

    private static int? OptionalInt(JsonElement obj, string name, int min, RuleContext ctx, string? parent = null)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var n))
        {
            throw ctx.Error(Join(parent, name), $"must be a whole number (got {Describe(v)})");
        }
        if (n < min)
        {
            throw ctx.Error(Join(parent, name), min == 0 ? $"must not be negative (got {n})" : $"must be at least {min} (got {n})");
        }
        return n;
    }

    private static TimeSpan? OptionalSeconds(JsonElement obj, string name, RuleContext ctx, string? parent = null)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var seconds))
        {
            throw ctx.Error(Join(parent, name), $"must be a number of seconds (got {Describe(v)})");
        }
        if (seconds < 0)
        {
            throw ctx.Error(Join(parent, name), $"must not be negative (got {seconds.ToString(CultureInfo.InvariantCulture)})");
        }
        if (seconds > MaxSeconds)
        {
            throw ctx.Error(Join(parent, name), $"is too large (at most {MaxSeconds.ToString(CultureInfo.InvariantCulture)} seconds)");
        }
        return TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
    }

    private static string Join(string? parent, string name) => parent is null ? name : $"{parent}.{name}";

    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"\"{v.GetString()}\"",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => v.GetRawText(),
    };

    /// <summary>Names a rule in messages as its JSON path and, once known, its code.</summary>
    private readonly record struct RuleContext(int Index, string? Code)
    {
        public PatternRuleException Error(string? field, string problem)
        {
            var rule = Code is null ? $"rules[{Index}]" : $"rules[{Index}] '{Code}'";
            var message = field is null
                ? $"Pattern rule {rule} {problem}."
                : $"Pattern rule {rule}: field '{field}' {problem}.";
            return new PatternRuleException(message, Index, Code, field);
        }
    }
}
