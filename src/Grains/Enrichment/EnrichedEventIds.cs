using System.Security.Cryptography;

namespace SessionInsights.Grains.Enrichment;

/// <summary>
/// The enriched event's id as a name-based (version 5, RFC 9562) UUID of the raw event's uuid, so a
/// replay of the same raw event produces the same enriched id and storage can upsert on it.
/// </summary>
public static class EnrichedEventIds
{
    /// <summary>Fixed namespace for this derivation; changing it would change every stored id.</summary>
    private static readonly Guid Namespace = new("5e551011-1a51-4e7a-9c1d-e0e1c4ed0001");

    public static Guid FromRawEventId(Guid rawEventId)
    {
        Span<byte> input = stackalloc byte[32];
        Namespace.TryWriteBytes(input[..16], bigEndian: true, out _);
        rawEventId.TryWriteBytes(input[16..], bigEndian: true, out _);

        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(input, hash);

        var id = hash[..16];
        id[6] = (byte)((id[6] & 0x0F) | 0x50);
        id[8] = (byte)((id[8] & 0x3F) | 0x80);
        return new Guid(id, bigEndian: true);
    }
}
