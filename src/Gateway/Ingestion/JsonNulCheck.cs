namespace SessionInsights.Gateway.Ingestion;

/// <summary>
/// Finds <c>\u0000</c> escapes in JSON text. PostgreSQL text and jsonb cannot hold NUL, so such an
/// event would fail its group commit (and every request committed with it); it is refused up front.
/// </summary>
public static class JsonNulCheck
{
    public static bool ContainsNulEscape(ReadOnlySpan<byte> json)
    {
        var from = 0;
        while (true)
        {
            var at = json[from..].IndexOf("\\u000"u8);
            if (at < 0)
            {
                return false;
            }
            at += from;
            if (at + 5 < json.Length && json[at + 5] == (byte)'0' && IsEscape(json, at))
            {
                return true;
            }
            from = at + 1;
        }
    }

    /// <summary>The backslash at <paramref name="at"/> starts an escape unless an odd run of backslashes precedes it.</summary>
    private static bool IsEscape(ReadOnlySpan<byte> json, int at)
    {
        var run = 0;
        for (var i = at - 1; i >= 0 && json[i] == (byte)'\\'; i--)
        {
            run++;
        }
        return run % 2 == 0;
    }
}
