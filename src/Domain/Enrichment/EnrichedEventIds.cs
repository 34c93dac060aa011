namespace SessionInsights.Domain.Enrichment;

/// <summary>
/// The enriched event's id, derived from the raw event's uuid by a fixed byte transform so that a
/// replay of the same raw event produces the same enriched id and storage can upsert on it.
/// </summary>
/// <remarks>
/// The raw uuid is XORed with a fixed mask and marked as an RFC 9562 version 8 (custom) UUID. The
/// bits overwritten by the marking are the raw uuid's own version and variant bits, which are the
/// same for every uuid of one version (PostHog sends v7), so the mapping is one-to-one among them.
/// A name-based v5 UUID would do the same job but costs a SHA-1 per event, about a fifth of the
/// per-event enrichment budget.
/// </remarks>
public static class EnrichedEventIds
{
    /// <summary>Fixed forever: changing it would change every stored enriched id.</summary>
    private static ReadOnlySpan<byte> Mask =>
        [0x5e, 0x55, 0x10, 0x11, 0x1a, 0x51, 0x4e, 0x7a, 0x9c, 0x1d, 0xe0, 0xe1, 0xc4, 0xed, 0x00, 0x01];

    public static Guid FromRawEventId(Guid rawEventId)
    {
        Span<byte> id = stackalloc byte[16];
        rawEventId.TryWriteBytes(id, bigEndian: true, out _);
        for (var i = 0; i < id.Length; i++)
        {
            id[i] ^= Mask[i];
        }
        id[6] = (byte)((id[6] & 0x0F) | 0x80);
        id[8] = (byte)((id[8] & 0x3F) | 0x80);
        return new Guid(id, bigEndian: true);
    }
}
