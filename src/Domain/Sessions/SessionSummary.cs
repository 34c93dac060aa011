using System.Globalization;
using System.Runtime.CompilerServices;

namespace SessionInsights.Domain.Sessions;

/// <summary>
/// The SPEC §5 one-line summary. Counts of one use the singular ("Viewed 1 page", "Clicked 1 time",
/// "Triggered 1 custom event") because the text goes straight into a prompt and should read naturally.
/// </summary>
internal static class SessionSummary
{
    public const string NoActivity = "No activity recorded";
    public const string NoSignificantActivity = "No significant activity.";

    public static string Build(SessionAggregate s)
    {
        if (s.EventCount == 0)
        {
            return NoActivity;
        }
        if (s.PageViewsCount == 0 && s.ClicksCount == 0 && s.RageClicksCount == 0 && s.CustomEventsCount == 0)
        {
            return NoSignificantActivity;
        }

        var text = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture, stackalloc char[256]);
        var first = true;
        if (s.PageViewsCount > 0)
        {
            Part(ref text, ref first, "Viewed ", s.PageViewsCount, " page", " pages");
            ref readonly var titles = ref s.Titles;
            for (var i = 0; i < titles.Count; i++)
            {
                text.AppendLiteral(i == 0 ? " including " : ", ");
                text.AppendFormatted(titles[i]);
            }
        }
        if (s.ClicksCount > 0)
        {
            Part(ref text, ref first, "Clicked ", s.ClicksCount, " time", " times");
        }
        if (s.RageClicksCount > 0)
        {
            Part(ref text, ref first, "Rage-clicked ", s.RageClicksCount, " time", " times");
            text.AppendLiteral(" (frustration detected)");
        }
        if (s.CustomEventsCount > 0)
        {
            Part(ref text, ref first, "Triggered ", s.CustomEventsCount, " custom event", " custom events");
        }
        text.AppendLiteral(".");
        return text.ToStringAndClear();
    }

    private static void Part(ref DefaultInterpolatedStringHandler text, ref bool first, string verb, int count, string one, string many)
    {
        if (!first)
        {
            text.AppendLiteral(". ");
        }
        first = false;
        text.AppendLiteral(verb);
        text.AppendFormatted(count);
        text.AppendLiteral(count == 1 ? one : many);
    }
}
