using SessionInsights.Grains.Abstractions.Messages;
using SessionInsights.Grains.Enrichment;
using SessionInsights.Grains.Storage;

namespace SessionInsights.Grains.Actors;

/// <summary>From a user grain to a session grain: the session's new row and the events it just gained.</summary>
public sealed record SessionEventsApplied(string EntityId, SessionRecord Row, IReadOnlyList<EnrichedEvent> Events) : IGrainMessage;
