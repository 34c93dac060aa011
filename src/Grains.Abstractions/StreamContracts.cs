using SessionInsights.Domain.Live;

namespace SessionInsights.Grains.Abstractions;

/// <summary>Stream items pushed to a subscriber, in the order the grain produced them.</summary>
[GenerateSerializer, Immutable]
public sealed record StreamBatch(IReadOnlyList<StreamItem> Items);

/// <summary>
/// A (re)subscription: the last item id the connection sent (null: none yet) and when the connection
/// opened (confirmations of windows that ended before are not replayed from the backlog).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StreamResume(string? LastEventId, DateTimeOffset OpenedAt);

/// <summary>
/// The answer to a subscription. <see cref="Renewed"/>: this activation already had the subscriber
/// (nothing to catch up). Otherwise <see cref="Backlog"/> holds what follows the last id when the
/// grain still had it (<see cref="Found"/>), else every item it kept. <see cref="Silo"/> names the
/// silo of the activation.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StreamSubscription(bool Renewed, bool Found, IReadOnlyList<StreamItem> Backlog, string Silo);
