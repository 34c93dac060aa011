namespace SessionInsights.Domain.Users;

/// <summary>
/// The bytes a user grain persists: the domain snapshot plus the replayed-uuid set, in a small binary
/// envelope so the domain snapshot stays the domain's business.
/// </summary>
public static class UserGrainState
{
    private const byte FormatVersion = 1;

    public static byte[] Write(byte[] activity, ReplayedEvents replayed)
    {
        using var ms = new MemoryStream(activity.Length + 16 + replayed.Count * 24);
        using (var w = new BinaryWriter(ms))
        {
            w.Write(FormatVersion);
            w.Write(activity.Length);
            w.Write(activity);
            w.Write(replayed.Count);
            foreach (var (uuid, at) in replayed.Entries)
            {
                w.Write(uuid.ToByteArray());
                w.Write(at.UtcTicks);
            }
        }
        return ms.ToArray();
    }

    public static (byte[] Activity, ReplayedEvents Replayed) Read(byte[] state)
    {
        using var r = new BinaryReader(new MemoryStream(state));
        var format = r.ReadByte();
        if (format != FormatVersion)
        {
            throw new InvalidDataException($"unknown user grain state format {format}");
        }
        var activity = r.ReadBytes(r.ReadInt32());
        var replayed = new ReplayedEvents();
        var count = r.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var uuid = new Guid(r.ReadBytes(16));
            replayed.Add(uuid, new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero));
        }
        return (activity, replayed);
    }
}
