using System.Buffers;
using System.Text;
using System.Text.Json;
using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.Sessions;

namespace SessionInsights.Domain.Context;

/// <summary>A session's matched patterns, in rule order, as JSON.</summary>
internal static class PatternJson
{
    public const string Pending = "pending";
    public const string Confirmed = "confirmed";

    /// <summary>
    /// The context form: code, description, severity, status and evidence (count, first and last time
    /// seen, the latest event ids). A rule without a positive filter has the session itself as evidence.
    /// The status is judged at <paramref name="now"/> (the read's time) when given, else as last updated.
    /// </summary>
    public static void WriteArray(Utf8JsonWriter w, TrackedSession? session, DateTimeOffset? now = null, bool confirmedOnly = false)
    {
        w.WriteStartArray();
        if (session is not null)
        {
            var state = session.Patterns;
            var rules = state.Rules.Rules;
            for (var i = 0; i < rules.Count; i++)
            {
                if (!state.IsMatched(i))
                {
                    continue;
                }
                var pending = now is { } at ? state.IsPendingAt(i, at) : state.IsPending(i);
                if (!(pending && confirmedOnly))
                {
                    WriteMatch(w, rules[i], state.StateOf(i), session.Aggregate, pending);
                }
            }
        }
        w.WriteEndArray();
    }

    /// <summary>
    /// The <c>session</c> row form: code, description, severity and status only. It changes only when the set of
    /// matches does, so it can be cached across events and sessions; evidence changes with nearly every
    /// event and is served by the context instead.
    /// </summary>
    public static string ToRowJson(PatternState state)
    {
        var rules = state.Rules;
        if (rules.Count > 64)
        {
            return BuildRowJson(state);
        }
        var mask = (state.MatchMask, state.PendingMask);
        if (rules.RowJsonByMatches.TryGetValue(mask, out var cached))
        {
            return cached;
        }
        var json = BuildRowJson(state);
        if (rules.RowJsonByMatches.Count < PatternRuleSet.RowJsonCacheLimit)
        {
            rules.RowJsonByMatches.TryAdd(mask, json);
        }
        return json;
    }

    /// <summary>
    /// The row form with each status judged at <paramref name="now"/>, as the context judges the latest
    /// session's: a pattern whose negative window has passed reads confirmed before the grain's timer
    /// has stored it so. Cached form when nothing differs.
    /// </summary>
    public static string ToRowJson(PatternState state, DateTimeOffset now)
    {
        var rules = state.Rules.Rules;
        for (var i = 0; i < rules.Count; i++)
        {
            if (state.IsMatched(i) && state.IsPending(i) != state.IsPendingAt(i, now))
            {
                return BuildRowJson(state, now);
            }
        }
        return ToRowJson(state);
    }

    private static string BuildRowJson(PatternState state, DateTimeOffset? now = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, ContextRenderer.WriterOptions))
        {
            w.WriteStartArray();
            var rules = state.Rules.Rules;
            for (var i = 0; i < rules.Count; i++)
            {
                if (state.IsMatched(i))
                {
                    w.WriteStartObject();
                    WriteHead(w, rules[i], now is { } at ? state.IsPendingAt(i, at) : state.IsPending(i));
                    w.WriteEndObject();
                }
            }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>One matched rule of a session in the context form (a webhook's <c>pattern</c>).</summary>
    public static void WritePattern(Utf8JsonWriter w, TrackedSession session, int rule, bool pending) =>
        WriteMatch(w, session.Patterns.Rules.Rules[rule], session.Patterns.StateOf(rule), session.Aggregate, pending);

    private static void WriteMatch(Utf8JsonWriter w, PatternRule rule, RuleState? state, SessionAggregate session, bool pending)
    {
        w.WriteStartObject();
        WriteHead(w, rule, pending);
        w.WriteStartObject("evidence");
        if (rule.Filter is not null && state is not null)
        {
            w.WriteNumber("count", state.PositiveCount);
            JsonTime.Write(w, "first_seen", new DateTimeOffset(state.FirstSeenTicks, TimeSpan.Zero));
            JsonTime.Write(w, "last_seen", new DateTimeOffset(state.LastSeenTicks, TimeSpan.Zero));
            w.WriteStartArray("event_ids");
            for (var i = 0; i < state.Evidence.Count; i++)
            {
                w.WriteStringValue(state.Evidence[i].EventId);
            }
            w.WriteEndArray();
        }
        else
        {
            w.WriteNumber("count", session.EventCount);
            JsonTime.Write(w, "first_seen", session.StartedAt);
            JsonTime.Write(w, "last_seen", session.LastActivityAt);
            w.WriteStartArray("event_ids");
            w.WriteEndArray();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteHead(Utf8JsonWriter w, PatternRule rule, bool pending)
    {
        w.WriteString("code", rule.Code);
        w.WriteString("description", rule.Description);
        w.WriteString("severity", rule.Severity.ToWire());
        w.WriteString("status", pending ? Pending : Confirmed);
    }
}
