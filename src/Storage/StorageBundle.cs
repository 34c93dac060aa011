using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage;

/// <summary>
/// One storage backend's implementations of the grain-facing interfaces, sharing one connection
/// pool (PostgreSQL) or one database file (SQLite). <see cref="InitializeAsync"/> must complete
/// before the first read or write: it applies the schema migrations.
/// </summary>
public sealed class StorageBundle : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task> _migrate;
    private readonly IAsyncDisposable _resources;

    internal StorageBundle(
        StorageBackend backend,
        IRawEventLog rawEvents,
        IGrainStateStore grainState,
        IProjectStore projects,
        IRuleStore rules,
        IEnrichedEventScan eventScan,
        IWebhookOutbox webhooks,
        Func<CancellationToken, Task> migrate,
        IAsyncDisposable resources)
    {
        Backend = backend;
        RawEvents = rawEvents;
        GrainState = grainState;
        Projects = projects;
        Rules = rules;
        EventScan = eventScan;
        Webhooks = webhooks;
        _migrate = migrate;
        _resources = resources;
    }

    public StorageBackend Backend { get; }

    public IRawEventLog RawEvents { get; }

    public IGrainStateStore GrainState { get; }

    public IProjectStore Projects { get; }

    public IRuleStore Rules { get; }
    /// <summary>Bulk, streaming reads of stored enriched events (rule backtests).</summary>
    public IEnrichedEventScan EventScan { get; }

    /// <summary>The webhook outbox (docs/webhooks.md).</summary>
    public IWebhookOutbox Webhooks { get; }

    /// <summary>Applies the missing schema migrations; safe to call again and from several processes at once.</summary>
    public Task InitializeAsync(CancellationToken ct = default) => _migrate(ct);

    public ValueTask DisposeAsync() => _resources.DisposeAsync();
}
