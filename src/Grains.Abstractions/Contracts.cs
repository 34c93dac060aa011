using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Events;
using SessionInsights.Domain.Storage;
using SessionInsights.Domain.Users;

namespace SessionInsights.Grains.Abstractions;

// Immutable: Orleans passes them by reference between grains of one silo instead of deep-copying.
// The domain types inside cross the wire with the System.Text.Json codec (see GrainSerialization).

/// <summary>Durable events of one user, in raw-log order.</summary>
[GenerateSerializer, Immutable]
public sealed record EventBatch(IReadOnlyList<StoredEvent> Events);

/// <summary>
/// A context read: how many recent events, how far back (hours; null = no limit), whether
/// patterns still pending (their negative window has not passed) are left out, and how many
/// sessions before the latest to list (0–10).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ContextQuery(int RecentEventsLimit, double? LookbackHours, bool ConfirmedOnly = false, int PreviousSessions = SessionHistory.Default);

/// <summary>The context as the UTF-8 JSON the API returns, and the version of the project's rules it was evaluated with.</summary>
[GenerateSerializer, Immutable]
public sealed record ContextReply(byte[] Json, long RulesVersion);

/// <summary>From a user grain to a session grain: the session's row and the events it just gained.</summary>
[GenerateSerializer, Immutable]
public sealed record SessionUpdate(SessionRecord Row, IReadOnlyList<EnrichedEvent> Events);

/// <summary>What erasing a user removed from storage, per table.</summary>
[GenerateSerializer, Immutable]
public sealed record ErasureReply(long RawEvents, long EnrichedEvents, long Sessions, long Snapshots);

/// <summary>The session as UTF-8 JSON; <see cref="Found"/> is false for an unknown session.</summary>
[GenerateSerializer, Immutable]
public sealed record SessionReply(bool Found, byte[] Json);
