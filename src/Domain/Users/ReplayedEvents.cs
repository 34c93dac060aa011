namespace SessionInsights.Domain.Users;

/// <summary>
/// Raw events a grain applied by replaying the log rather than by live delivery. Their live delivery
/// may still be on its way (the gateway sends it after commit, recovery may read the row first), so
/// that delivery must be skipped. Entries expire: no delivery is in flight for minutes.
/// </summary>
public sealed class ReplayedEvents
{
    private static readonly TimeSpan Expiry = TimeSpan.FromMinutes(10);
    private readonly Dictionary<Guid, DateTimeOffset> _replayed = [];

    public int Count => _replayed.Count;

    public IEnumerable<KeyValuePair<Guid, DateTimeOffset>> Entries => _replayed;

    public void Add(Guid uuid, DateTimeOffset at) => _replayed[uuid] = at;

    /// <summary>True (and forgets it) when a live delivery is for an event already replayed.</summary>
    public bool TryConsume(Guid uuid) => _replayed.Remove(uuid);

    public void Prune(DateTimeOffset now)
    {
        if (_replayed.Count == 0)
        {
            return;
        }
        List<Guid>? expired = null;
        foreach (var (uuid, at) in _replayed)
        {
            if (now - at > Expiry)
            {
                (expired ??= []).Add(uuid);
            }
        }
        expired?.ForEach(u => _replayed.Remove(u));
    }
}
