using System.Buffers;
using System.Text;
using System.Text.Json;
using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.Sessions;

namespace SessionInsights.Domain.Context;

/// <summary>A session's matched patterns, in rule order, as JSON.</summary>
internal static class PatternJson
{
    /// <summary>
    /// The context form: code, description, severity and evidence (count, first and last time seen,
    /// the latest event ids). A rule without a positive filter has the session itself as evidence.
    /// </summary>
    public static void WriteArray(Utf8JsonWriter w, TrackedSession? session)
    {
        w.WriteStartArray();
        if (session is not null)
        {
            var state = session.Patterns;
            var rules = state.Rules.Rules;
            for (var i = 0; i < rules.Count; i++)
            {
                if (state.IsMatched(i))
                {
                    WriteMatch(w, rules[i], state.StateOf(i), session.Aggregate);
                }
            }
        }
        w.WriteEndArray();
    }

    /// <summary>
    /// The <c>session</c> row form: code, description and severity only. It changes only when the set of
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
        var mask = state.MatchMask;
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

    private static string BuildRowJson(PatternState state)
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
                    WriteHead(w, rules[i]);
                    w.WriteEndObject();
                }
            }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteMatch(Utf8JsonWriter w, PatternRule rule, RuleState? state, SessionAggregate session)
    {
        w.WriteStartObject();
        WriteHead(w, rule);
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

    private static void WriteHead(Utf8JsonWriter w, PatternRule rule)
    {
        w.WriteString("code", rule.Code);
        w.WriteString("description", rule.Description);
        w.WriteString("severity", rule.Severity.ToWire());
    }
}
