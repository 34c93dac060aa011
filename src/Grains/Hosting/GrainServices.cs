using Microsoft.Extensions.Options;
using SessionInsights.Domain;
using SessionInsights.Domain.Persistence;
using SessionInsights.Domain.RuleSets;
using SessionInsights.Domain.Storage;
using SessionInsights.Domain.Users;
using SessionInsights.Grains.Options;

namespace SessionInsights.Grains.Hosting;

/// <summary>What the grains of one silo share: configuration, storage, the clock and metrics.</summary>
public sealed class GrainServices(
    ProjectInsightsOptions options,
    RuleCatalog rules,
    GrainsOptions settings,
    IRawEventLog rawLog,
    GrainStateWriter writer,
    TimeProvider time,
    GrainMetrics metrics,
    IOptions<EventRetryOptions> retries,
    IEventProcessingHook hook,
    IOptions<WebhookOptions> webhooks)
{
    /// <summary>The options of projects without rules of their own (everything but the rules is the same for all).</summary>
    public InsightsOptions Options { get; } = options.Default;

    /// <summary>Each project's pattern rules as stored, kept current by <see cref="RuleRefresher"/>.</summary>
    public RuleCatalog Rules { get; } = rules;
    public GrainsOptions Settings { get; } = settings;
    public IRawEventLog RawLog { get; } = rawLog;
    public GrainStateWriter Writer { get; } = writer;
    public IGrainStateStore Store => Writer.Store;
    public TimeProvider Time { get; } = time;
    public GrainMetrics Metrics { get; } = metrics;

    /// <summary>What happens to an event whose processing threw.</summary>
    public EventRetryPolicy Retries { get; } = retries.Value.ToPolicy();

    /// <summary>Called before each event is applied (a no-op unless something is registered).</summary>
    public IEventProcessingHook Hook { get; } = hook;

    /// <summary>Where pattern firings go (none configured: no outbox rows).</summary>
    public IReadOnlyList<Domain.Webhooks.WebhookEndpoint> WebhookEndpoints { get; } = webhooks.Value.ToEndpoints();

    /// <summary>Makes a webhook's <c>context_url</c> absolute when set.</summary>
    public string? PublicBaseUrl { get; } = webhooks.Value.PublicBaseUrl is { Length: > 0 } url ? url : null;
}
