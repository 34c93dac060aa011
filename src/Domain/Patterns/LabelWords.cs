namespace SessionInsights.Domain.Patterns;

/// <summary>
/// Whole-word matching of a label: the phrase must occur with no letter, digit or underscore right
/// before or after it ("pay" matches "Pay now" and "'Pay $49.00'", not "Payment" or "Repay").
/// Case-insensitive (invariant upper case), like <c>semantic_contains</c>.
/// </summary>
internal static class LabelWords
{
    public static bool Contains(string label, string phrase) =>
        ContainsUpper(label.ToUpperInvariant(), phrase.ToUpperInvariant());

    /// <summary>Both already upper-cased (invariant).</summary>
    public static bool ContainsUpper(ReadOnlySpan<char> label, ReadOnlySpan<char> phrase)
    {
        var from = 0;
        while (from <= label.Length - phrase.Length)
        {
            var at = label[from..].IndexOf(phrase);
            if (at < 0)
            {
                return false;
            }
            at += from;
            var end = at + phrase.Length;
            if ((at == 0 || !IsWordChar(label[at - 1])) && (end == label.Length || !IsWordChar(label[end])))
            {
                return true;
            }
            from = at + 1;
        }
        return false;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
