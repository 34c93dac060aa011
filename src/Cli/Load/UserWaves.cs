namespace SessionInsights.Cli.Load;

/// <summary>
/// Which user sends next when every user sends a fixed number of events: users arrive in order,
/// at most <c>activeUsers</c> at a time, each sends its events (interleaved with the other active
/// users') and leaves, and the next one arrives. This is how a large population shows up in
/// practice: a user is busy for a while, then idle for good, so its grains passivate.
/// </summary>
internal sealed class UserWaves
{
    private readonly int _users;
    private readonly int _eventsPerUser;
    private readonly int[] _slots;
    private readonly int[] _sent;
    private int _live;
    private int _nextUser;

    public UserWaves(int users, int eventsPerUser, int activeUsers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(eventsPerUser, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(activeUsers, 1);
        _users = users;
        _eventsPerUser = eventsPerUser;
        _live = Math.Min(users, activeUsers);
        _slots = [.. Enumerable.Range(0, _live)];
        _sent = new int[_live];
        _nextUser = _live;
    }

    /// <summary>Every user has sent all its events.</summary>
    public bool Exhausted => _live == 0;

    public int Next(Random random)
    {
        if (Exhausted)
        {
            throw new InvalidOperationException("every user has sent its events");
        }
        var slot = random.Next(_live);
        var user = _slots[slot];
        if (++_sent[slot] == _eventsPerUser)
        {
            if (_nextUser < _users)
            {
                _slots[slot] = _nextUser++;
                _sent[slot] = 0;
            }
            else
            {
                _live--;
                _slots[slot] = _slots[_live];
                _sent[slot] = _sent[_live];
            }
        }
        return user;
    }
}
