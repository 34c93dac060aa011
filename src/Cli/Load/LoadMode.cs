namespace SessionInsights.Cli.Load;

/// <summary>How the load writers send events.</summary>
internal enum LoadMode
{
    /// <summary>One event per <c>POST /ingest</c> (the webhook shape).</summary>
    Ingest,

    /// <summary>PostHog's <c>POST /batch</c>: <c>{"api_key": …, "batch": [events]}</c>, many events per request.</summary>
    Batch,
}
