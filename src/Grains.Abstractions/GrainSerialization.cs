using Orleans.Serialization;

namespace SessionInsights.Grains.Abstractions;

public static class GrainSerialization
{
    /// <summary>
    /// The domain stays free of Orleans, so its types (events with their <c>JsonElement</c>
    /// properties, enriched events, session rows, node stats) cross the wire as System.Text.Json.
    /// Silos and clients must register the same codec.
    /// </summary>
    public static ISerializerBuilder AddSessionInsightsSerialization(this ISerializerBuilder builder) =>
        builder.AddJsonSerializer(isSupported: IsDomainType);

    private static bool IsDomainType(Type type) =>
        type.Namespace is { } ns && (ns.StartsWith("SessionInsights.Domain", StringComparison.Ordinal)
            || ns.StartsWith("SessionInsights.Grains.Monitoring", StringComparison.Ordinal));
}
