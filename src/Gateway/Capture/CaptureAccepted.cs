namespace SessionInsights.Gateway.Capture;

/// <summary>What PostHog's capture API answers once every event is durable; described for the OpenAPI document.</summary>
public sealed record CaptureAccepted(int Status);
