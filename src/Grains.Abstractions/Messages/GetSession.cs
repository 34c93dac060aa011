namespace SessionInsights.Grains.Abstractions.Messages;

/// <summary>Asks a session grain for its aggregates and events. Answered with <see cref="SessionReply"/>.</summary>
public sealed record GetSession(string EntityId, int EventsLimit) : IGrainMessage;

/// <summary>The session as UTF-8 JSON; <see cref="Found"/> is false for an unknown session.</summary>
public sealed record SessionReply(bool Found, byte[] Json) : IGrainReply;
