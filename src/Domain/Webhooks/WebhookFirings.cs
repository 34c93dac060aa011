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
    /// A name-based id (RFC 9562 version 8 layout) from SHA-256 of what identifies the firing: the same
    /// inputs always give the same id, whichever silo or activation computes it.
    /// </summary>
    public static Guid IdOf(string kind, long projectId, string userId, string sessionId, string code, Guid trigger)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}\n{projectId}\n{userId}\n{sessionId}\n{code}\n{trigger:D}"));
        var bytes = hash.AsSpan(0, 16);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The path (or URL) of the user's context, as the chatbot reads it.</summary>
    public static string ContextUrl(string userId, string? publicBaseUrl) =>
        $"{publicBaseUrl?.TrimEnd('/')}/session/context/{Uri.EscapeDataString(userId)}";

    private static string Payload(Guid id, long projectId, string userId, Sessions.TrackedSession session, int rule, Guid trigger, DateTimeOffset now, string? publicBaseUrl)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, ContextRenderer.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("kind", PatternFired);
            w.WriteString("id", id);
            w.WriteNumber("project", projectId);
            w.WriteString("user_id", userId);
            w.WriteString("session_id", session.SessionId);
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
}
