using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.TestingHost;
using SessionInsights.Domain.Events;
using SessionInsights.Domain.Storage;
using SessionInsights.Grains.Abstractions;
using SessionInsights.Grains.Hosting;
using SessionInsights.Storage;

namespace SessionInsights.Grains.Tests.Support;

/// <summary>
/// Two in-process silos configured as the product configures them (<see cref="SessionInsightsHosting"/>),
/// except membership and transport, which are the TestingHost's own. Both silos share one real
/// SQLite database in a temporary directory, as every node of a deployment shares one database.
/// </summary>
internal sealed class GrainTestCluster : IAsyncDisposable
{
    /// <summary>Small, so that reads larger than it merge storage with memory.</summary>
    public const int RecentEventsCapacity = 10;

    private readonly string _directory;
    private readonly StorageBundle _storage;

    private GrainTestCluster(string directory, StorageBundle storage, RecordingGrainStateStore store, InProcessTestCluster cluster, TestLogs logs)
    {
        _directory = directory;
        _storage = storage;
        Store = store;
        Cluster = cluster;
        Logs = logs;
    }

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    public IRawEventLog RawLog => _storage.RawEvents;

    /// <summary>The store the silos write through (recording every commit).</summary>
    public RecordingGrainStateStore Store { get; }

    /// <summary>The same database, not recorded: for writes "behind the grains' back".</summary>
    public IGrainStateStore UnrecordedStore => _storage.GrainState;

    public TestLogs Logs { get; }

    /// <param name="extraSettings">Configuration on top of the defaults below.</param>
    /// <param name="services">More silo services (e.g. an <see cref="IEventProcessingHook"/> that injects failures).</param>
    public static async Task<GrainTestCluster> StartAsync(IReadOnlyDictionary<string, string?>? extraSettings = null, Action<IServiceCollection>? services = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "si-grains-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var storage = StorageFactory.CreateSqlite(Path.Combine(directory, "session-insights.db"));
        await storage.InitializeAsync();
        var store = new RecordingGrainStateStore(storage.GrainState, storage.RawEvents);
        var logs = new TestLogs();
        var settings = new Dictionary<string, string?>
        {
            // The sweeper replays PENDING events older than this: lost deliveries come back within seconds.
            ["Grains:StalePendingAfter"] = "00:00:01",
            ["Grains:SweepInterval"] = "00:00:01",
            ["Grains:FlushDelay"] = "00:00:00.100",
            // Below StalePendingAfter minus FlushDelay: commits without a snapshot, events
            // held PENDING, and sweeps that find them, all happen in these tests.
            ["Grains:SnapshotInterval"] = "00:00:00.500",
            ["Grains:RetryDelay"] = "00:00:00.200",
            ["Insights:RecentEventsCapacity"] = RecentEventsCapacity.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var builder = new InProcessTestClusterBuilder(2);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(settings);
            host.Services.AddSessionInsightsCore(host.Configuration);
            host.Services.AddSingleton<IRawEventLog>(new AsyncRawEventLog(storage.RawEvents));
            host.Services.AddSingleton<IGrainStateStore>(store);
            host.Services.AddSingleton(storage.Rules);
            host.Services.AddLogging(l => l.AddProvider(logs));
            services?.Invoke(host.Services);
        });
        builder.ConfigureSilo((_, silo) => silo.AddSessionInsightsGrains(silo.Configuration));
        builder.ConfigureClient(client =>
        {
            client.Services.AddSerializer(s => s.AddSessionInsightsSerialization());
            // A call through the silo a test kills must fail soon, not after 30 s.
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
        });
        var cluster = new InProcessTestCluster(builder.Options, new InMemoryPortAllocator());
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            await storage.DisposeAsync();
            throw;
        }
        return new GrainTestCluster(directory, storage, store, cluster, logs);
    }

    public IUserGrain User(string userId) => Client.GetUser(ProjectIds.Default, userId);

    /// <summary>Appends to the raw log only: the events are acknowledged and PENDING, no grain is told.</summary>
    public async Task<IReadOnlyList<StoredEvent>> AppendAsync(IReadOnlyList<PostHogEvent> events)
    {
        var results = await RawLog.AppendAsync(events);
        Assert.All(results, r => Assert.True(r.Inserted, $"event {r.Uuid} was already in the raw log"));
        return [.. results.Select((r, i) => new StoredEvent(r.Seq, events[i]))];
    }

    /// <summary>What the gateway does: append, then hand the stored events to the user grain.</summary>
    public async Task<IReadOnlyList<StoredEvent>> IngestAsync(string userId, IReadOnlyList<PostHogEvent> events)
    {
        var stored = await AppendAsync(events);
        await User(userId).Deliver(new EventBatch(stored));
        return stored;
    }

    public async Task<ContextView> ReadContextAsync(string userId, int limit = 1000, double? lookbackHours = null) =>
        ContextView.Parse((await User(userId).GetContext(new ContextQuery(limit, lookbackHours))).Json);

    /// <summary>The session grain's view (what <c>GET /session/{id}</c> serves).</summary>
    public async Task<SessionViewData?> ReadSessionAsync(string sessionId, int limit = 200)
    {
        var reply = await Client.GetSession(ProjectIds.Default, sessionId).Get(limit);
        if (!reply.Found)
        {
            return null;
        }
        using var doc = System.Text.Json.JsonDocument.Parse(reply.Json);
        var events = doc.RootElement.GetProperty("events").EnumerateArray().ToList();
        return new SessionViewData(
            doc.RootElement.GetProperty("session").GetProperty("event_count").GetInt32(),
            [.. events.Select(e => e.GetProperty("sequence_number").GetInt32())],
            [.. events.Select(e => e.GetProperty("raw_event_id").GetGuid())]);
    }

    /// <summary>The silo currently hosting the user's grain, or null when it is not active.</summary>
    public SiloAddress? HostOf(string userId)
    {
        var id = User(userId).GetGrainId();
        return Cluster.TryGetGrainContext(id, out var context) ? context.Address.SiloAddress : null;
    }

    public bool IsActive(string userId) => Cluster.TryGetGrainContext(User(userId).GetGrainId(), out _);

    /// <summary>Waits until the user has nothing PENDING and a committed snapshot; returns the snapshot.</summary>
    public Task<UserSnapshot> CommittedAsync(string userId, TimeSpan? timeout = null) =>
        Wait.UntilAsync(
            async () => (await RawLog.ReadPendingAsync(ProjectIds.Default, userId)).Count == 0 ? await Store.LoadUserAsync(ProjectIds.Default, userId) : null,
            s => s is not null,
            timeout ?? TimeSpan.FromSeconds(60),
            s => $"user {userId} to commit everything; logs:{Environment.NewLine}{Logs.Tail()}")!;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Cluster.StopAllSilosAsync();
        }
        finally
        {
            await Cluster.DisposeAsync();
            await _storage.DisposeAsync();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

internal sealed record SessionViewData(int EventCount, IReadOnlyList<int> Seqs, IReadOnlyList<Guid> RawIds)
{
    /// <summary>
    /// Counts all <paramref name="events"/> and lists the latest of them (by timestamp, up to the 200
    /// a view keeps) once each, numbered as storage numbers them.
    /// </summary>
    public bool IsComplete(IReadOnlyList<Domain.Events.PostHogEvent> events, IReadOnlyDictionary<Guid, int> committedSeqs)
    {
        var kept = events.OrderBy(e => e.Timestamp).TakeLast(200).Select(e => e.Uuid);
        return EventCount == events.Count && RawIds.SequenceEqual(kept)
            && RawIds.Zip(Seqs).All(p => committedSeqs.TryGetValue(p.First, out var seq) && seq == p.Second);
    }

    public override string ToString() => $"event_count {EventCount}, {Seqs.Count} events, {RawIds.Distinct().Count()} distinct";
}
