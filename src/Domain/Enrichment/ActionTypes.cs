namespace SessionInsights.Domain.Enrichment;

/// <summary>The <c>action_type</c> wire strings (SPEC §2, plus the documented PostHog extras).</summary>
public static class ActionTypes
{
    public const string View = "view";
    public const string Leave = "leave";
    public const string Click = "click";
    public const string Submit = "submit";
    public const string Change = "change";
    public const string RageClick = "rage_click";
    public const string Navigate = "navigate";
    public const string Unknown = "unknown";

    /// <summary><c>$dead_click</c>: a click after which the page did nothing visible.</summary>
    public const string DeadClick = "dead_click";

    /// <summary><c>$copy_autocapture</c>: the user copied or cut text.</summary>
    public const string Copy = "copy";

    public const string Identify = "identify";
    public const string Exception = "exception";
}
