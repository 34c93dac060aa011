namespace SessionInsights.Cli.Load;

/// <summary>
/// One event a simulated user is about to send, before ids and time are stamped on it.
/// <paramref name="Properties"/> values are strings, decimals, ints or bools.
/// </summary>
internal sealed record EventSpec(
    string Name,
    string Path,
    string? ElementsChain = null,
    string? DomEventType = null,
    string? ElementText = null,
    IReadOnlyList<KeyValuePair<string, object>>? Properties = null);
