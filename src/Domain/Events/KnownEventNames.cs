using System.Text.Json;

namespace SessionInsights.Domain.Events;

/// <summary>
/// PostHog's frequent event names as shared string instances: most events carry one of them, and
/// reusing the instance saves an allocation per event and lets the classifier's switch hit fast.
/// </summary>
internal static class KnownEventNames
{
    public const string PageView = "$pageview";
    public const string PageLeave = "$pageleave";
    public const string Autocapture = "$autocapture";
    public const string RageClick = "$rageclick";
    public const string DeadClick = "$dead_click";
    public const string CopyAutocapture = "$copy_autocapture";
    public const string Identify = "$identify";
    public const string Exception = "$exception";
    public const string Screen = "$screen";

    private static readonly string[] Names =
        [PageView, Autocapture, PageLeave, RageClick, DeadClick, CopyAutocapture, Identify, Exception, Screen];

    private static readonly byte[][] Utf8Names = Array.ConvertAll(Names, System.Text.Encoding.UTF8.GetBytes);

    /// <summary>The event name of a JSON string element, shared when it is a known name.</summary>
    public static string Intern(JsonElement name)
    {
        for (var i = 0; i < Utf8Names.Length; i++)
        {
            if (name.ValueEquals(Utf8Names[i]))
            {
                return Names[i];
            }
        }
        return name.GetString()!;
    }
}
