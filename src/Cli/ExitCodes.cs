namespace SessionInsights.Cli;

internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The input file could not be opened or is not JSON at all.</summary>
    public const int InputUnreadable = 1;

    public const int Usage = 2;

    /// <summary>A load run in which the service accepted no event at all.</summary>
    public const int LoadFailed = 3;
}
