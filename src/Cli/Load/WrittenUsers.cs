namespace SessionInsights.Cli.Load;

/// <summary>
/// The users with at least one acknowledged event, so that context reads ask for users the server
/// knows (an unknown user is a cheaper, different read).
/// </summary>
internal sealed class WrittenUsers(int users)
{
    private readonly bool[] _seen = new bool[users];
    private readonly int[] _order = new int[users];
    private readonly Lock _lock = new();
    private int _count;

    public void Add(int user)
    {
        if (Volatile.Read(ref _seen[user]))
        {
            return;
        }
        lock (_lock)
        {
            if (!_seen[user])
            {
                _order[_count] = user;
                Volatile.Write(ref _seen[user], true);
                Volatile.Write(ref _count, _count + 1);
            }
        }
    }

    public bool TryPick(Random random, out int user)
    {
        var count = Volatile.Read(ref _count);
        user = count == 0 ? -1 : _order[random.Next(count)];
        return count > 0;
    }
}
