using SessionInsights.Domain.Webhooks;

namespace SessionInsights.Grains.Options;

/// <summary>
/// Configuration section <c>Webhooks</c>: where pattern firings are POSTed (docs/webhooks.md). No
/// endpoint: nothing is written to the outbox and the dispatcher only looks for old rows.
/// </summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary><c>Webhooks:Endpoints:N:Url</c>, <c>:Secret</c>, <c>:Project</c> (absent: every project).</summary>
    public List<WebhookEndpointOptions> Endpoints { get; set; } = [];

    /// <summary>How long one attempt may take (connect, send, answer) before it counts as a timeout.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts in all, the first included, before a delivery is failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failed attempt; each next waits twice as long (1 s, 2 s, 4 s…).</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>No wait between attempts is longer than this.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often each silo's dispatcher looks for due deliveries when the last look found none.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Deliveries one dispatcher claims and sends at once (concurrently).</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>How long delivered and failed rows stay listed on the dashboard.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The gateway's public address (<c>https://insights.example.com</c>): makes <c>context_url</c> absolute. Unset: a path.</summary>
    public string? PublicBaseUrl { get; set; }

    public IReadOnlyList<WebhookEndpoint> ToEndpoints() => [.. Endpoints.Select(e => new WebhookEndpoint(e.Url!, e.Secret!, e.Project))];

    public WebhookRetryPolicy ToPolicy() => new(MaxAttempts, BaseDelay, MaxDelay);

    /// <summary>
    /// A claimed row is leased for the longest a batch can take (every attempt timing out, one after
    /// another at worst) and a margin: another silo takes it again only if this one died.
    /// </summary>
    public TimeSpan Lease => Timeout * 2 + TimeSpan.FromSeconds(30);

    internal IEnumerable<string> Validate()
    {
        var urls = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Endpoints.Count; i++)
        {
            var e = Endpoints[i];
            if (!Uri.TryCreate(e.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                yield return $"Webhooks:Endpoints:{i}:Url must be an absolute http or https URL";
            }
            else if (!urls.Add(e.Url!))
            {
                yield return $"Webhooks:Endpoints:{i}:Url is listed twice (the URL names the endpoint)";
            }
            if (string.IsNullOrEmpty(e.Secret) || e.Secret.Length < 16)
            {
                yield return $"Webhooks:Endpoints:{i}:Secret must be at least 16 characters";
            }
            if (e.Project is < 1)
            {
                yield return $"Webhooks:Endpoints:{i}:Project must be a project id (1 or more), or absent for every project";
            }
        }
        if (Timeout < TimeSpan.FromMilliseconds(100) || Timeout > TimeSpan.FromMinutes(5))
        {
            yield return "Webhooks:Timeout must be from 100 ms to 5 minutes";
        }
        if (MaxAttempts is < 1 or > 50)
        {
            yield return "Webhooks:MaxAttempts must be from 1 to 50";
        }
        if (BaseDelay <= TimeSpan.Zero || MaxDelay < BaseDelay || MaxDelay > TimeSpan.FromDays(1))
        {
            yield return "Webhooks:BaseDelay must be positive and Webhooks:MaxDelay from BaseDelay to 1 day";
        }
        if (PollInterval < TimeSpan.FromMilliseconds(10) || PollInterval > TimeSpan.FromMinutes(10))
        {
            yield return "Webhooks:PollInterval must be from 10 ms to 10 minutes";
        }
        if (BatchSize is < 1 or > 1000)
        {
            yield return "Webhooks:BatchSize must be from 1 to 1000";
        }
        if (Retention < TimeSpan.FromMinutes(1))
        {
            yield return "Webhooks:Retention must be at least 1 minute";
        }
        if (PublicBaseUrl is { Length: > 0 } b && (!Uri.TryCreate(b, UriKind.Absolute, out var baseUri) || (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps)))
        {
            yield return "Webhooks:PublicBaseUrl must be an absolute http or https URL";
        }
    }
}

/// <summary>One <c>Webhooks:Endpoints:N</c> entry.</summary>
public sealed class WebhookEndpointOptions
{
    public string? Url { get; set; }

    /// <summary>Signs every request (HMAC-SHA256); the receiver holds the same value.</summary>
    public string? Secret { get; set; }

    /// <summary>Only this project's firings; absent: every project's.</summary>
    public long? Project { get; set; }
}
