using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SessionInsights.Domain.Context;
using SessionInsights.Domain.Storage;
using SessionInsights.Domain.Users;

namespace SessionInsights.Domain.Webhooks;

/// <summary>
/// Turns an applied event's newly fired patterns into outbox rows: one per firing and endpoint that
/// covers the project, all with the same payload and idempotency id. Pure: the grain passes the time.
/// </summary>
public static class WebhookFirings
{
    public const string PatternFired = "pattern.fired";
    public const string PatternConfirmed = "pattern.confirmed";

    /// <param name="trigger">The raw event that made the patterns fire: part of the id, so a replay of the event makes the same id.</param>
    /// <param name="publicBaseUrl">Where the gateway is reachable (context_url becomes absolute), or null for a path.</param>
    public static IReadOnlyList<WebhookOutboxRow> Rows(
        AppliedEvent applied, long projectId, string userId, Guid trigger, DateTimeOffset now,
        IReadOnlyList<WebhookEndpoint> endpoints, string? publicBaseUrl)
    {
        if (applied.Tracked is not { NewlyMatched: not 0 } session || endpoints.Count == 0)
        {
            return [];
        }
        List<WebhookOutboxRow>? rows = null;
        var rules = session.Patterns.Rules.Rules;
        for (var i = 0; i < rules.Count && i < 64; i++)
        {
            if ((session.NewlyMatched & (1UL << i)) == 0)
            {
                continue;
            }
            var code = rules[i].Code;
            var id = IdOf(PatternFired, projectId, userId, session.SessionId, code, trigger);
            string? payload = null;
            foreach (var endpoint in endpoints)
            {
                if (!endpoint.Covers(projectId))
                {
                    continue;
                }
                payload ??= Payload(id, projectId, userId, session, i, trigger, now, publicBaseUrl);
                (rows ??= []).Add(new WebhookOutboxRow(id, endpoint.Url, projectId, userId, session.SessionId, code, PatternFired, now, payload));
            }
        }
        return rows ?? (IReadOnlyList<WebhookOutboxRow>)[];
    }

    /// <summary>
    /// Rows for patterns that just moved from pending to confirmed: one per confirmation and covering
    /// endpoint. The id comes from the window's end instead of a trigger event (a timer confirms with
    /// no event), so a replay or another activation confirming the same window makes the same id, and
    /// a later window of the same rule (pending again after another positive event) makes a new one.
    /// </summary>
    public static IReadOnlyList<WebhookOutboxRow> ConfirmedRows(
        IReadOnlyList<PatternConfirmation> confirmations, long projectId, string userId, DateTimeOffset now,
        IReadOnlyList<WebhookEndpoint> endpoints, string? publicBaseUrl)
    {
        if (confirmations.Count == 0 || endpoints.Count == 0)
        {
            return [];
        }
        List<WebhookOutboxRow>? rows = null;
        foreach (var confirmation in confirmations)
        {
            var session = confirmation.Session;
            var code = session.Patterns.Rules.Rules[confirmation.Rule].Code;
            var id = ConfirmedIdOf(projectId, userId, session.SessionId, code, confirmation.WindowEnd);
            string? payload = null;
            foreach (var endpoint in endpoints)
            {
                if (!endpoint.Covers(projectId))
                {
                    continue;
                }
                payload ??= ConfirmedPayload(id, projectId, userId, confirmation, now, publicBaseUrl);
                (rows ??= []).Add(new WebhookOutboxRow(id, endpoint.Url, projectId, userId, session.SessionId, code, PatternConfirmed, now, payload));
            }
        }
        return rows ?? (IReadOnlyList<WebhookOutboxRow>)[];
    }

    /// <summary>The id of a confirmation: as <see cref="IdOf"/>, with the window's end (UTC ticks) in place of the trigger.</summary>
    public static Guid ConfirmedIdOf(long projectId, string userId, string sessionId, string code, DateTimeOffset windowEnd) =>
        NameBased($"{PatternConfirmed}\n{projectId}\n{userId}\n{sessionId}\n{code}\n{windowEnd.UtcTicks}");

    /// <summary>
    /// A name-based id (RFC 9562 version 8 layout) from SHA-256 of what identifies the firing: the same
    /// inputs always give the same id, whichever silo or activation computes it.
    /// </summary>
    public static Guid IdOf(string kind, long projectId, string userId, string sessionId, string code, Guid trigger) =>
        NameBased($"{kind}\n{projectId}\n{userId}\n{sessionId}\n{code}\n{trigger:D}");

    private static Guid NameBased(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        var bytes = hash.AsSpan(0, 16);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The path (or URL) of the user's context, as the chatbot reads it.</summary>
    public static string ContextUrl(string userId, string? publicBaseUrl) =>
        $"{publicBaseUrl?.TrimEnd('/')}/session/context/{Uri.EscapeDataString(userId)}";

    /// <summary>What every delivery's body starts with: its kind, its id and whose pattern it is.</summary>
    private static void WriteHead(Utf8JsonWriter w, string kind, Guid id, long projectId, string userId, string sessionId)
    {
        w.WriteStartObject();
        w.WriteString("kind", kind);
        w.WriteString("id", id);
        w.WriteNumber("project", projectId);
        w.WriteString("user_id", userId);
        w.WriteString("session_id", sessionId);
    }

    private static string Payload(Guid id, long projectId, string userId, Sessions.TrackedSession session, int rule, Guid trigger, DateTimeOffset now, string? publicBaseUrl)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, ContextRenderer.WriterOptions))
        {
            WriteHead(w, PatternFired, id, projectId, userId, session.SessionId);
            // The context's own form of a pattern: code, description, severity, status, evidence.
            w.WritePropertyName("pattern");
            PatternJson.WritePattern(w, session, rule, session.Patterns.IsPendingAt(rule, now));
            w.WriteString("trigger_event_id", trigger);
            JsonTime.Write(w, "fired_at", now);
            w.WriteString("context_url", ContextUrl(userId, publicBaseUrl));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string ConfirmedPayload(Guid id, long projectId, string userId, PatternConfirmation confirmation, DateTimeOffset now, string? publicBaseUrl)
    {
        var session = confirmation.Session;
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, ContextRenderer.WriterOptions))
        {
            WriteHead(w, PatternConfirmed, id, projectId, userId, session.SessionId);
            w.WritePropertyName("pattern");
            PatternJson.WritePattern(w, session, confirmation.Rule, pending: false);
            JsonTime.Write(w, "window_ended_at", confirmation.WindowEnd);
            JsonTime.Write(w, "confirmed_at", now);
            w.WriteString("context_url", ContextUrl(userId, publicBaseUrl));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
