using SessionInsights.Domain.Projects;

namespace SessionInsights.Storage;

/// <summary>How both backends write a key's kind in <c>project_key.kind</c>.</summary>
internal static class ProjectKeyKinds
{
    public static string ToText(ProjectKeyKind kind) => kind == ProjectKeyKind.Capture ? "capture" : "secret";

    public static ProjectKeyKind FromText(string text) => text == "capture" ? ProjectKeyKind.Capture : ProjectKeyKind.Secret;
}
