namespace SessionInsights.Domain.Projects;

/// <summary>Project numbers the service knows without asking storage.</summary>
public static class ProjectIds
{
    /// <summary>
    /// The project every row stored before projects existed belongs to, and the one the single-node
    /// default seeds its development token and key for.
    /// </summary>
    public const long Default = 1;
}
