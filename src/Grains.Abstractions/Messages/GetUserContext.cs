namespace SessionInsights.Grains.Abstractions.Messages;

/// <summary>Asks a user grain for the SPEC §7 context. Answered with <see cref="UserContextReply"/>.</summary>
public sealed record GetUserContext(string EntityId, int RecentEventsLimit, double? LookbackHours) : IGrainMessage;

/// <summary>The context as the UTF-8 JSON the API returns, rendered once by the grain.</summary>
public sealed record UserContextReply(byte[] Json) : IGrainReply;
