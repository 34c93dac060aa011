using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using SessionInsights.Gateway.Endpoints;
using SessionInsights.Gateway.Ingestion;

namespace SessionInsights.Gateway.Security;

/// <summary>
/// Token buckets from System.Threading.RateLimiting, one per capture token for events (the capture
/// handler takes as many tokens as the request has events, which ASP.NET's rate-limiting middleware
/// cannot: it takes one per request) and one per project for reads and webhook calls (ASP.NET's
/// middleware, policy <see cref="ReadPolicy"/>, partitioned by the authenticated project). Buckets
/// refill every 100 ms, so a client over its rate waits a fraction of a second, not a whole second.
/// Refusals are counted in /metrics (<c>si_ratelimit_rejected_total</c> by kind) and per project for
/// the dashboard.
/// </summary>
public sealed class ProjectRateLimits : IDisposable
{
    public const string ReadPolicy = "project-reads";
    private static readonly TimeSpan Refill = TimeSpan.FromMilliseconds(100);
    private readonly RateLimitOptions _options;
    private readonly PartitionedRateLimiter<string>? _capture;
    private readonly IngestMetrics _metrics;
    private readonly ConcurrentDictionary<(long Project, string Kind), long> _refusals = new();

    public ProjectRateLimits(IOptions<RateLimitOptions> options, IngestMetrics metrics)
    {
        _options = options.Value;
        _metrics = metrics;
        if (_options.CaptureEventsPerSecond > 0)
        {
            _capture = PartitionedRateLimiter.Create<string, string>(token =>
                RateLimitPartition.GetTokenBucketLimiter(token, _ => Bucket(_options.CaptureEventsPerSecond, _options.CaptureBurst)));
        }
    }

    /// <summary>
    /// Takes <paramref name="events"/> tokens from a capture bucket (a capture token's, or the one all
    /// anonymously taken tokens of a project share); null when allowed, else how long to wait. A batch
    /// larger than the burst takes the whole burst (it could never fit).
    /// </summary>
    public TimeSpan? TryCapture(string bucket, long project, int events)
    {
        if (_capture is null || events == 0)
        {
            return null;
        }
        using var lease = _capture.AttemptAcquire(bucket, Math.Min(events, _options.CaptureBurst));
        if (lease.IsAcquired)
        {
            return null;
        }
        Refused(project, "capture");
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
    }

    /// <summary>Refusals of this gateway process per project and kind, for the dashboard.</summary>
    public IReadOnlyList<RateLimitRefusals> Refusals() =>
        [.. _refusals.OrderBy(r => r.Key.Project).ThenBy(r => r.Key.Kind, StringComparer.Ordinal)
            .Select(r => new RateLimitRefusals(r.Key.Project, r.Key.Kind, r.Value))];

    internal void Refused(long project, string kind)
    {
        _metrics.RateLimited.Add(1, new KeyValuePair<string, object?>("kind", kind));
        _refusals.AddOrUpdate((project, kind), 1, (_, n) => n + 1);
    }

    internal static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = Math.Max(1, perSecond / 10),
        ReplenishmentPeriod = Refill,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>The 429 a PostHog SDK expects: Retry-After in whole seconds, and problem details naming the limit.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult TooManyRequests(HttpContext context, TimeSpan retryAfter, string field, string what)
    {
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Problems.Field(429, field, what, "Too many requests");
    }

    public void Dispose() => _capture?.Dispose();
}

public sealed record RateLimitRefusals(long ProjectId, string Kind, long Refused);

public static class ProjectRateLimitsExtensions
{
    public static IServiceCollection AddProjectRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(o => o.IsValid, RateLimitOptions.ValidationMessage).ValidateOnStart();
        services.AddSingleton<ProjectRateLimits>();
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(ProjectRateLimits.ReadPolicy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                if (options.ReadsPerSecond == 0)
                {
                    return RateLimitPartition.GetNoLimiter("off");
                }
                // After authentication: the project the key (or anonymous access) names.
                var project = context.User.Identity?.IsAuthenticated == true ? ProjectKeyAuthentication.ProjectOf(context.User) : 0;
                return RateLimitPartition.GetTokenBucketLimiter(project.ToString(CultureInfo.InvariantCulture),
                    _ => ProjectRateLimits.Bucket(options.ReadsPerSecond, options.ReadBurst));
            });
            limiter.OnRejected = async (rejected, ct) =>
            {
                var http = rejected.HttpContext;
                var project = http.User.Identity?.IsAuthenticated == true ? ProjectKeyAuthentication.ProjectOf(http.User) : 0;
                http.RequestServices.GetRequiredService<ProjectRateLimits>().Refused(project, "read");
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
                await ProjectRateLimits.TooManyRequests(http, retryAfter, "Authorization", "has used its project's read rate (RateLimits__ReadsPerSecond); retry after Retry-After seconds")
                    .ExecuteAsync(http);
            };
        });
        return services;
    }

    /// <summary>Reads (and the webhook) of one project share its bucket.</summary>
    public static TBuilder RequireProjectRateLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(ProjectRateLimits.ReadPolicy);
}
