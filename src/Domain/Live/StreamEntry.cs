using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SessionInsights.Domain.Context;
using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Patterns;

namespace SessionInsights.Domain.Live;

/// <summary>
/// What a user grain keeps for one stream item: references to what it already holds (the enriched
/// event, the rule), rendered to JSON only when a subscriber needs it, once.
/// </summary>
public sealed class StreamEntry
{
    private readonly EnrichedEvent? _event;
    private readonly PatternRule? _rule;
    private readonly string? _sessionId;
    private readonly bool _pending;
    private readonly DateTimeOffset _at;
    private StreamItem? _item;

    private StreamEntry(string id, string type, EnrichedEvent? e, PatternRule? rule, string? sessionId, bool pending, DateTimeOffset at, DateTimeOffset? dueAt)
    {
        Id = id;
        Type = type;
        _event = e;
        _rule = rule;
        _sessionId = sessionId;
        _pending = pending;
        _at = at;
        DueAt = dueAt;
    }

    public string Id { get; }

    public string Type { get; }

    /// <summary>
    /// A pending pattern: when its negative window ends; a confirmation: when it ended (what the
    /// confirmation is about, the same for every activation that confirms it).
    /// </summary>
    public DateTimeOffset? DueAt { get; }

    /// <summary>A labelled event; its id is its raw-log sequence number.</summary>
    public static StreamEntry ForEvent(long seq, EnrichedEvent e) =>
        new(seq.ToString(CultureInfo.InvariantCulture), StreamItem.Event, e, null, e.SessionId, false, default, null);

    /// <summary>A pattern that event <paramref name="seq"/> made match in its session, pending or confirmed.</summary>
    public static StreamEntry Fired(long seq, EnrichedEvent e, PatternRule rule, bool pending, DateTimeOffset? dueAt, DateTimeOffset now) =>
        new($"{seq.ToString(CultureInfo.InvariantCulture)}:{Uri.EscapeDataString(rule.Code)}", StreamItem.Pattern, e, rule, e.SessionId, pending, now, pending ? dueAt : null);

    /// <summary>
    /// A pending pattern that became confirmed (its window passed without the negative event). The id
    /// depends only on the session, the rule and the window's end, so every activation that confirms
    /// the same pattern gives the same id.
    /// </summary>
    public static StreamEntry Confirmed(string sessionId, PatternRule rule, DateTimeOffset dueAt, DateTimeOffset now) =>
        new($"c:{dueAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{Fnv1a(sessionId):x16}:{Uri.EscapeDataString(rule.Code)}",
            StreamItem.PatternConfirmed, null, rule, sessionId, false, now, dueAt);

    public StreamItem Render() => _item ??= new StreamItem(Id, Type, Json());

    private string Json()
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, ContextRenderer.WriterOptions))
        {
            if (_rule is null)
            {
                EnrichedEventJson.Write(w, _event!);
            }
            else
            {
                w.WriteStartObject();
                w.WriteString("code", _rule.Code);
                w.WriteString("description", _rule.Description);
                w.WriteString("severity", _rule.Severity.ToWire());
                w.WriteString("status", _pending ? PatternJson.Pending : PatternJson.Confirmed);
                w.WriteString("session_id", _sessionId);
                if (_event is { } e)
                {
                    w.WriteString("raw_event_id", e.RawEventId);
                    JsonTime.Write(w, "detected_at", _at);
                    if (DueAt is { } due)
                    {
                        JsonTime.Write(w, "confirms_at", due);
                    }
                }
                else
                {
                    JsonTime.Write(w, "window_ended_at", DueAt);
                    JsonTime.Write(w, "confirmed_at", _at);
                }
                w.WriteEndObject();
            }
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return hash;
    }
}
