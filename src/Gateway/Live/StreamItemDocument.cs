using System.ComponentModel;

namespace SessionInsights.Gateway.Live;

/// <summary>
/// One SSE event of <c>GET /session/stream/{user_id}</c>, for the OpenAPI document (the wire form is
/// <c>id:</c>, <c>event:</c> and <c>data:</c> lines, not JSON).
/// </summary>
public sealed record StreamItemDocument(
    [property: Description("SSE id: the event's raw-log sequence number (1234), a pattern it fired (1234:code) or a confirmation (c:…). Send the last one back as Last-Event-ID to resume. A reset has none.")]
    string? Id,
    [property: Description("SSE event type: event (a labelled event), pattern (a pattern an event made match), pattern_confirmed (a pending pattern whose negative window passed), reset (the Last-Event-ID is older than the stream keeps: read the context again).")]
    string Event,
    [property: Description("JSON, one line. event: one entry of the context's recent_events. pattern: code, description, severity, status (pending or confirmed), session_id, raw_event_id, detected_at, confirms_at (pending only). pattern_confirmed: code, description, severity, status, session_id, window_ended_at, confirmed_at. reset: reason, last_event_id, detail.")]
    string Data);
