using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SessionInsights.Domain.Context;

/// <summary>
/// The context as a compact plain-text block for a system prompt, rendered from the JSON document
/// (the grain's, with <c>generated_at</c> first). Layout (docs/patterns-and-sessions.md §4):
/// <code>
/// User u-42 | session started 2025-12-09T10:25:12Z (-12m05s) | 3 pages | 5m12s | active
/// Summary: Viewed 3 pages including home page, billing page. Clicked 2 times.
/// Patterns:
/// HIGH  Added items to the cart and left without buying (pending)
/// Previous sessions (newest first):
/// -6d02h  14m10s  4 pages  Viewed 4 pages including cart page.  patterns: cart_abandonment
/// Recent events (oldest first):
/// -4m12s  billing page  Clicked 'Upgrade to Pro' button ×3
/// </code>
/// No ids: a prompt reads labels, not keys. Times are relative to <c>generated_at</c>.
/// </summary>
public static class ContextText
{
    /// <summary>Everything the text needs, read once from the document; trimming re-renders from it.</summary>
    /// <param name="PreviousSessionLines">One line per previous session, newest first; no block when empty.</param>
    public sealed record Parts(string Header, string? Summary, IReadOnlyList<string> PatternLines, IReadOnlyList<EventLine> Events, IReadOnlyList<string> PreviousSessionLines);

    /// <summary>One recent event as text: its relative time, page and label (consecutive equal page and label collapse).</summary>
    public readonly record struct EventLine(string Time, string Page, string Label);

    public static string Render(JsonElement context) => Render(Read(context));

    public static string Render(Parts parts) => Render(parts, parts.PatternLines.Count, parts.Events.Count, parts.PreviousSessionLines.Count);

    /// <param name="patterns">How many pattern lines to keep (the first ones: most severe first).</param>
    /// <param name="events">How many recent events to keep (the newest ones).</param>
    /// <param name="previousSessions">How many previous sessions to keep (the newest ones).</param>
    public static string Render(Parts parts, int patterns, int events, int previousSessions)
    {
        var sb = new StringBuilder(256 + 64 * events);
        sb.Append(parts.Header).Append('\n');
        sb.Append("Summary: ").Append(parts.Summary ?? "none").Append('\n');
        var allPatterns = parts.PatternLines.Count;
        if (allPatterns == 0)
        {
            sb.Append("Patterns: none\n");
        }
        else
        {
            sb.Append(patterns == allPatterns ? "Patterns:" : $"Patterns (the {patterns} most severe of {allPatterns}):").Append('\n');
            for (var i = 0; i < patterns; i++)
            {
                sb.Append(parts.PatternLines[i]).Append('\n');
            }
        }
        AppendPreviousSessions(sb, parts.PreviousSessionLines, previousSessions);
        var all = parts.Events.Count;
        if (all == 0)
        {
            sb.Append("Recent events: none\n");
        }
        else if (events == 0)
        {
            sb.Append("Recent events: ").Append(all).Append(" left out\n");
        }
        else
        {
            sb.Append(events == all ? "Recent events (oldest first):" : $"Recent events (newest {events} of {all}, oldest first):").Append('\n');
            AppendEvents(sb, parts.Events, all - events);
        }
        return sb.ToString();
    }

    /// <summary>
    /// Nothing when the context lists none (asked for 0, or a first session): "none" would claim a
    /// history that was not looked at.
    /// </summary>
    private static void AppendPreviousSessions(StringBuilder sb, IReadOnlyList<string> lines, int kept)
    {
        if (lines.Count == 0)
        {
            return;
        }
        if (kept == 0)
        {
            sb.Append("Previous sessions: ").Append(lines.Count).Append(" left out\n");
            return;
        }
        sb.Append(kept == lines.Count ? "Previous sessions (newest first):" : $"Previous sessions (newest {kept} of {lines.Count}):").Append('\n');
        for (var i = 0; i < kept; i++)
        {
            sb.Append(lines[i]).Append('\n');
        }
    }

    private static void AppendEvents(StringBuilder sb, IReadOnlyList<EventLine> events, int from)
    {
        for (var i = from; i < events.Count;)
        {
            var e = events[i];
            var run = 1;
            while (i + run < events.Count && events[i + run].Page == e.Page && events[i + run].Label == e.Label)
            {
                run++;
            }
            sb.Append(e.Time).Append("  ").Append(e.Page).Append("  ").Append(e.Label);
            if (run > 1)
            {
                sb.Append(" ×").Append(run);
            }
            sb.Append('\n');
            i += run;
        }
    }

    public static Parts Read(JsonElement context)
    {
        var now = context.TryGetProperty("generated_at", out var g) && g.ValueKind == JsonValueKind.String
            ? g.GetDateTimeOffset()
            : (DateTimeOffset?)null;
        var user = Str(context, "user_id") ?? "";
        var header = new StringBuilder("User ").Append(user);
        if (context.TryGetProperty("last_session", out var s) && s.ValueKind == JsonValueKind.Object)
        {
            var started = s.GetProperty("started_at").GetDateTimeOffset();
            header.Append(" | session started ").Append(s.GetProperty("started_at").GetString());
            if (now is { } n)
            {
                header.Append(" (").Append(Relative(started, n)).Append(')');
            }
            var pages = s.GetProperty("page_views_count").GetInt32();
            header.Append(" | ").Append(pages).Append(pages == 1 ? " page" : " pages");
            header.Append(" | ").Append(Duration(s.GetProperty("duration_seconds").GetDouble()));
            header.Append(s.TryGetProperty("is_active", out var a) && a.ValueKind == JsonValueKind.True ? " | active" : " | ended");
        }
        else
        {
            header.Append(" | no session yet");
        }

        var patterns = new List<(int Rank, int Order, string Line)>();
        if (context.TryGetProperty("patterns", out var ps) && ps.ValueKind == JsonValueKind.Array)
        {
            var order = 0;
            foreach (var p in ps.EnumerateArray())
            {
                var severity = Str(p, "severity") ?? "";
                var line = $"{severity}  {Str(p, "description") ?? Str(p, "code")}{(Str(p, "status") == PatternJson.Pending ? " (pending)" : "")}";
                patterns.Add((SeverityRank(severity), order++, line));
            }
        }

        var events = new List<EventLine>();
        if (context.TryGetProperty("recent_events", out var es) && es.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in es.EnumerateArray())
            {
                var at = e.GetProperty("timestamp").GetDateTimeOffset();
                var page = Str(e, "page_title") ?? Str(e, "page_path") ?? "-";
                events.Add(new EventLine(now is { } n ? Relative(at, n) : Str(e, "timestamp")!, page, Str(e, "semantic_label") ?? Str(e, "event_type") ?? ""));
            }
        }
        var previous = new List<string>();
        if (context.TryGetProperty("previous_sessions", out var ss) && ss.ValueKind == JsonValueKind.Array)
        {
            foreach (var p in ss.EnumerateArray())
            {
                previous.Add(PreviousSessionLine(p, now));
            }
        }
        return new Parts(
            header.ToString(),
            Str(context, "last_session_summary"),
            [.. patterns.OrderBy(p => p.Rank).ThenBy(p => p.Order).Select(p => p.Line)],
            events,
            previous);
    }

    /// <summary><c>-6d02h  14m10s  4 pages  Viewed 4 pages including cart page.  patterns: cart_abandonment</c>; "(open)" after the pages when it has not ended.</summary>
    private static string PreviousSessionLine(JsonElement s, DateTimeOffset? now)
    {
        var line = new StringBuilder();
        if (s.TryGetProperty("started_at", out var st) && st.ValueKind == JsonValueKind.String)
        {
            line.Append(now is { } n && st.TryGetDateTimeOffset(out var at) ? Relative(at, n) : st.GetString());
        }
        line.Append("  ").Append(Duration(s.TryGetProperty("duration_seconds", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetDouble() : 0));
        var pages = s.TryGetProperty("page_views_count", out var pv) && pv.ValueKind == JsonValueKind.Number ? pv.GetInt32() : 0;
        line.Append("  ").Append(pages).Append(pages == 1 ? " page" : " pages");
        if (s.TryGetProperty("ended_at", out var ended) && ended.ValueKind == JsonValueKind.Null)
        {
            line.Append(" (open)");
        }
        line.Append("  ").Append(Str(s, "summary") ?? "");
        if (s.TryGetProperty("patterns", out var ps) && ps.ValueKind == JsonValueKind.Array && ps.GetArrayLength() > 0)
        {
            line.Append("  patterns: ").AppendJoin(", ", ps.EnumerateArray().Select(p => Str(p, "code")));
        }
        return line.ToString();
    }

    /// <summary>HIGH first; an unknown severity last.</summary>
    public static int SeverityRank(string? severity) => severity switch
    {
        "HIGH" => 0,
        "MEDIUM" => 1,
        "LOW" => 2,
        _ => 3,
    };

    /// <summary><c>-45s</c>, <c>-4m12s</c>, <c>-2h05m</c>, <c>-3d04h</c>; <c>+…</c> for a time after now (a client's clock ahead).</summary>
    public static string Relative(DateTimeOffset at, DateTimeOffset now)
    {
        var seconds = (long)Math.Floor((now - at).TotalSeconds);
        return seconds < 0 ? "+" + Span(-seconds) : "-" + Span(seconds);
    }

    public static string Duration(double seconds) => Span((long)Math.Floor(Math.Max(0, seconds)));

    private static string Span(long s)
    {
        var inv = CultureInfo.InvariantCulture;
        return s switch
        {
            < 60 => string.Create(inv, $"{s}s"),
            < 3600 => string.Create(inv, $"{s / 60}m{s % 60:00}s"),
            < 86400 => string.Create(inv, $"{s / 3600}h{s % 3600 / 60:00}m"),
            _ => string.Create(inv, $"{s / 86400}d{s % 86400 / 3600:00}h"),
        };
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
