using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace SessionInsights.Domain.Context;

/// <summary>
/// Trims a context to a token budget, counted by a real tokenizer on the exact body served. What
/// matters most is kept first: the header and summary (the floor), then the patterns (most severe
/// first), then the newest <see cref="EventsBeforePreviousSessions"/> events, then the previous
/// sessions (newest first), then the older events. Each step is a binary search over how much to
/// keep, and every candidate is counted whole, so the count reported is the tokenizer's count of the body.
/// </summary>
public static class ContextBudget
{
    public const int MinTokens = 50;
    public const int MaxTokens = 100_000;

    /// <summary>
    /// The newest events kept before any previous session: what the user is doing right now comes
    /// first; a line about last week beats the long tail of this session's older events.
    /// </summary>
    public const int EventsBeforePreviousSessions = 10;

    /// <param name="Body">The trimmed body; null when even the floor does not fit.</param>
    /// <param name="Tokens">The tokenizer's count of <paramref name="Body"/> (of the floor when it does not fit).</param>
    /// <param name="MinimumTokens">The floor's count: the smallest budget this context fits in.</param>
    public sealed record Fit(string? Body, int Tokens, int EventsDropped, int PatternsDropped, int MinimumTokens, int PreviousSessionsDropped = 0);

    /// <summary>
    /// The text form: drops the oldest events first (down to the newest
    /// <see cref="EventsBeforePreviousSessions"/>), then the oldest previous sessions, then the
    /// remaining events, then the least severe patterns. The floor is the header, the summary and one
    /// line each saying how many events (and previous sessions) were left out.
    /// </summary>
    public static Fit FitText(ContextText.Parts parts, int maxTokens, Tokenizer tokenizer)
    {
        return Search((p, s, e) => ContextText.Render(parts, p, e, s), parts.PatternLines.Count, parts.PreviousSessionLines.Count, parts.Events.Count, maxTokens, tokenizer);
    }

    /// <summary>
    /// The JSON form, same shape and field order as the grain's: drops the oldest
    /// <c>recent_events</c> first (down to the newest <see cref="EventsBeforePreviousSessions"/>), then the
    /// oldest <c>previous_sessions</c>, then the remaining events, then empties every pattern's
    /// <c>evidence.event_ids</c>, then drops the least severe patterns. Everything kept is copied byte
    /// for byte. The floor is the document with no events, previous sessions or patterns (user,
    /// summary, last_session).
    /// </summary>
    public static Fit FitJson(ReadOnlyMemory<byte> json, int maxTokens, Tokenizer tokenizer)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var full = Encoding.UTF8.GetString(json.Span);
        var fullCount = tokenizer.CountTokens(full);
        var events = Count(root, "recent_events");
        var patterns = Count(root, "patterns");
        var previous = Count(root, "previous_sessions");
        if (fullCount <= maxTokens)
        {
            return new Fit(full, fullCount, 0, 0, tokenizer.CountTokens(Json(root, [], 0, 0, 0, keepIds: false)));
        }
        // Patterns by severity rank (stable): keeping p keeps the first p of this order, written in the document's order.
        var bySeverity = root.TryGetProperty("patterns", out var ps) && ps.ValueKind == JsonValueKind.Array
            ? ps.EnumerateArray().Select((p, i) => (Rank: ContextText.SeverityRank(p.TryGetProperty("severity", out var s) ? s.GetString() : null), Index: i))
                .OrderBy(x => x.Rank).ThenBy(x => x.Index).Select(x => x.Index).ToArray()
            : [];

        // Step 1: every pattern with its evidence ids, then events and previous sessions as they fit.
        var withIds = Search((p, s, e) => Json(root, bySeverity, p, s, e, keepIds: true), patterns, previous, events, maxTokens, tokenizer, patternsFixed: true);
        if (withIds.Body is not null)
        {
            return withIds;
        }
        // Step 2: no events, no previous sessions; patterns without their event ids, the most severe that fit.
        var fit = Search((p, _, _) => Json(root, bySeverity, p, 0, 0, keepIds: false), patterns, 0, 0, maxTokens, tokenizer);
        return fit with { EventsDropped = events, PreviousSessionsDropped = previous };
    }

    /// <param name="render">The body with (patterns, previous sessions, events) kept.</param>
    private static Fit Search(Func<int, int, int, string> render, int patterns, int previous, int events, int maxTokens, Tokenizer tokenizer, bool patternsFixed = false)
    {
        var floor = render(patternsFixed ? patterns : 0, 0, 0);
        var floorCount = tokenizer.CountTokens(floor);
        if (floorCount > maxTokens)
        {
            return new Fit(null, floorCount, events, patternsFixed ? 0 : patterns, floorCount, previous);
        }
        var minimum = patternsFixed ? tokenizer.CountTokens(render(0, 0, 0)) : floorCount;
        // The most patterns that fit with nothing else; the rest only once every pattern is in.
        var (p, pBody, pCount) = patternsFixed ? (patterns, floor, floorCount) : Largest(n => render(n, 0, 0), 0, patterns, floor, floorCount, maxTokens, tokenizer);
        if (p < patterns)
        {
            return new Fit(pBody, pCount, events, patterns - p, minimum, previous);
        }
        // The newest few events, then the previous sessions, then the older events.
        var first = Math.Min(events, EventsBeforePreviousSessions);
        var (e1, e1Body, e1Count) = Largest(n => render(patterns, 0, n), 0, first, pBody, pCount, maxTokens, tokenizer);
        if (e1 < first)
        {
            return new Fit(e1Body, e1Count, events - e1, 0, minimum, previous);
        }
        var (s, sBody, sCount) = Largest(n => render(patterns, n, first), 0, previous, e1Body, e1Count, maxTokens, tokenizer);
        if (s < previous)
        {
            return new Fit(sBody, sCount, events - first, 0, minimum, previous - s);
        }
        var (e, eBody, eCount) = Largest(n => render(patterns, previous, n), first, events, sBody, sCount, maxTokens, tokenizer);
        return new Fit(eBody, eCount, events - e, 0, minimum);
    }

    /// <summary>The largest n in [from, max] whose rendering fits, by binary search (n = from is known to fit).</summary>
    private static (int N, string Body, int Count) Largest(Func<int, string> render, int from, int max, string fromBody, int fromCount, int maxTokens, Tokenizer tokenizer)
    {
        var best = (N: from, Body: fromBody, Count: fromCount);
        int lo = from + 1, hi = max;
        while (lo <= hi)
        {
            var mid = lo + (hi - lo) / 2;
            var body = render(mid);
            var count = tokenizer.CountTokens(body);
            if (count <= maxTokens)
            {
                best = (mid, body, count);
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return best;
    }

    private static int Count(JsonElement root, string name) =>
        root.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array ? a.GetArrayLength() : 0;

    /// <summary>
    /// The document with the newest <paramref name="events"/> events, the newest <paramref name="previous"/>
    /// previous sessions and the first <paramref name="patterns"/> of <paramref name="bySeverity"/>.
    /// </summary>
    private static string Json(JsonElement root, int[] bySeverity, int patterns, int previous, int events, bool keepIds)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, ContextRenderer.WriterOptions))
        {
            w.WriteStartObject();
            foreach (var prop in root.EnumerateObject())
            {
                w.WritePropertyName(prop.Name);
                if (prop.Name == "recent_events" && prop.Value.ValueKind == JsonValueKind.Array)
                {
                    var all = prop.Value.GetArrayLength();
                    w.WriteStartArray();
                    var i = 0;
                    foreach (var e in prop.Value.EnumerateArray())
                    {
                        if (i++ >= all - events)
                        {
                            w.WriteRawValue(e.GetRawText(), skipInputValidation: true);
                        }
                    }
                    w.WriteEndArray();
                }
                else if (prop.Name == "previous_sessions" && prop.Value.ValueKind == JsonValueKind.Array)
                {
                    // Newest first: the first ones are kept.
                    w.WriteStartArray();
                    foreach (var s in prop.Value.EnumerateArray().Take(previous))
                    {
                        w.WriteRawValue(s.GetRawText(), skipInputValidation: true);
                    }
                    w.WriteEndArray();
                }
                else if (prop.Name == "patterns" && prop.Value.ValueKind == JsonValueKind.Array)
                {
                    var kept = new HashSet<int>(bySeverity.Take(patterns));
                    w.WriteStartArray();
                    var i = 0;
                    foreach (var p in prop.Value.EnumerateArray())
                    {
                        if (kept.Contains(i++))
                        {
                            WritePattern(w, p, keepIds);
                        }
                    }
                    w.WriteEndArray();
                }
                else
                {
                    w.WriteRawValue(prop.Value.GetRawText(), skipInputValidation: true);
                }
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WritePattern(Utf8JsonWriter w, JsonElement pattern, bool keepIds)
    {
        if (keepIds)
        {
            w.WriteRawValue(pattern.GetRawText(), skipInputValidation: true);
            return;
        }
        w.WriteStartObject();
        foreach (var prop in pattern.EnumerateObject())
        {
            w.WritePropertyName(prop.Name);
            if (prop.Name == "evidence" && prop.Value.ValueKind == JsonValueKind.Object)
            {
                w.WriteStartObject();
                foreach (var ev in prop.Value.EnumerateObject())
                {
                    w.WritePropertyName(ev.Name);
                    if (ev.Name == "event_ids")
                    {
                        w.WriteStartArray();
                        w.WriteEndArray();
                    }
                    else
                    {
                        w.WriteRawValue(ev.Value.GetRawText(), skipInputValidation: true);
                    }
                }
                w.WriteEndObject();
            }
            else
            {
                w.WriteRawValue(prop.Value.GetRawText(), skipInputValidation: true);
            }
        }
        w.WriteEndObject();
    }
}
