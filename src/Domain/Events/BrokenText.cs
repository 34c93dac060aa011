using System.Text.Json;

namespace SessionInsights.Domain.Events;

/// <summary>
/// JSON may escape half of a UTF-16 surrogate pair (<c>"\ud83d"</c>): JavaScript writes one when text
/// was cut inside an emoji. It is valid JSON but not text, and reading it as a string throws. This
/// finds where, so that the caller can answer 400 naming the field instead of failing the request.
/// </summary>
public static class BrokenText
{
    public const string Problem = "holds half of a UTF-16 surrogate pair (text cut inside an emoji?): send whole characters";

    /// <summary>The path of the first string (or property name) that is not text, or null.</summary>
    public static string? Find(JsonElement element, string path = "")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsText(element) ? null : (path.Length == 0 ? "body" : path);
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Find(item, $"{path}[{i++}]") is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return path.Length == 0 ? "body" : path;
                    }
                    if (Find(property.Value, path.Length == 0 ? name : $"{path}.{name}") is { } found)
                    {
                        return found;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private static bool IsText(JsonElement value)
    {
        try
        {
            _ = value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
