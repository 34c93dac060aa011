namespace SessionInsights.Domain.Projects;

/// <summary>A user as storage and grains know it: a PostHog <c>distinct_id</c> within one project.</summary>
public readonly record struct UserRef(long ProjectId, string DistinctId);
