namespace SessionInsights.Domain.Webhooks;

/// <summary>A receiver of webhooks: its URL (which names it), the secret that signs its requests, and the project it is for (null: every project).</summary>
public sealed record WebhookEndpoint(string Url, string Secret, long? Project)
{
    public bool Covers(long projectId) => Project is null || Project == projectId;
}
