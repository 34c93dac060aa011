namespace SessionInsights.Cli.Load;

/// <summary>One event ready to send, with what the load runner needs to check it came through.</summary>
internal sealed record GeneratedEvent(int UserIndex, string UserId, string SessionId, Guid Uuid, string Name, byte[] Body)
{
    /// <summary>The event object alone (without the <c>{"event": …}</c> envelope), as a /batch element.</summary>
    public ReadOnlyMemory<byte> EventJson => EventBodyWriter.EventObject(Body);
}

/// <summary>
/// Shop traffic from many users at once: each call picks a user at random and advances that user's
/// journey by one event. Given a seed, the users, personas, devices, sessions and event sequence are
/// always the same; only the uuids (from <paramref name="newUuid"/>, fresh by default so a rerun is not
/// a replay of duplicates) and the timestamps (the time passed in) differ. Not thread-safe.
/// </summary>
internal sealed class TrafficGenerator
{
    private readonly Random _random;
    private readonly ShopperJourney[] _journeys;
    private readonly ShopperDevice[] _devices;
    private readonly string[] _userIds;
    private readonly Func<Guid> _newUuid;
    private readonly UserWaves? _waves;

    /// <param name="eventsPerUser">0: every event goes to a user drawn from all of them, without end;
    /// otherwise each user sends this many events, <paramref name="activeUsers"/> at a time (<see cref="UserWaves"/>).</param>
    public TrafficGenerator(int users, int sessionsPerUser, int seed, string userPrefix = "load-", Func<Guid>? newUuid = null,
        int eventsPerUser = 0, int activeUsers = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(users, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sessionsPerUser, 1);
        _random = new Random(seed);
        _newUuid = newUuid ?? Guid.CreateVersion7;
        _journeys = new ShopperJourney[users];
        _devices = new ShopperDevice[users];
        _userIds = new string[users];
        _waves = eventsPerUser > 0 ? new UserWaves(users, eventsPerUser, activeUsers) : null;
        var personas = Enum.GetValues<Persona>();
        for (var u = 0; u < users; u++)
        {
            _userIds[u] = $"{userPrefix}u{u:D6}";
            var sessions = new string[sessionsPerUser];
            for (var s = 0; s < sessionsPerUser; s++)
            {
                sessions[s] = SessionId(_random);
            }
            _journeys[u] = new ShopperJourney(personas[_random.Next(personas.Length)], sessions);
            var (os, deviceType, width) = ShopCatalog.Devices[_random.Next(ShopCatalog.Devices.Count)];
            _devices[u] = new ShopperDevice(ShopCatalog.Browsers[_random.Next(ShopCatalog.Browsers.Count)], os, deviceType, width);
        }
    }

    public int UserCount => _userIds.Length;

    public string UserId(int index) => _userIds[index];

    /// <summary>Every user has sent its events (only with a fixed number of events per user).</summary>
    public bool Exhausted => _waves?.Exhausted ?? false;

    public Persona PersonaOf(int index) => _journeys[index].Persona;

    public GeneratedEvent Next(DateTimeOffset now)
    {
        var user = _waves?.Next(_random) ?? _random.Next(_journeys.Length);
        var (sessionId, spec) = _journeys[user].Next(_random);
        var uuid = _newUuid();
        var body = EventBodyWriter.Write(spec, _userIds[user], sessionId, uuid, now, _devices[user]);
        return new GeneratedEvent(user, _userIds[user], sessionId, uuid, spec.Name, body);
    }

    /// <summary>A session id shaped like posthog-js's (a UUIDv7 string), drawn from the seeded random.</summary>
    private static string SessionId(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x70);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }
}
