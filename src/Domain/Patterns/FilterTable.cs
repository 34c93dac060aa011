using System.Collections.Concurrent;
using SessionInsights.Domain.Enrichment;

namespace SessionInsights.Domain.Patterns;

/// <summary>
/// The distinct filters of a rule set, evaluated once per event. Rules that share a filter share its
/// result, and filters that share a label test (a substring or a whole-word phrase) share it, the
/// costliest test. A property condition parses the event's context, so it runs last and only for
/// filters whose other conditions hold. Labels repeat
/// a lot ("Clicked 'Add to Cart' button"), so which substrings a label contains is remembered per label,
/// up to <see cref="LabelCacheLimit"/> labels; a new label is upper-cased once and searched ordinally.
/// </summary>
internal sealed class FilterTable
{
    /// <summary>Bounds the label cache's memory (labels are at most a few hundred bytes each).</summary>
    public const int LabelCacheLimit = 8192;

    // Above this the per-event scratch space moves from the stack to the heap.
    private const int StackLimit = 256;

    private readonly EventFilter[] _filters;
    private readonly int[] _needleOf;

    /// <summary>Distinct label tests: substrings or whole-word phrases, upper-cased (invariant), as the label will be.</summary>
    private readonly string[] _needles;

    /// <summary>Per needle: true for a whole-word phrase (semantic_words), false for a substring.</summary>
    private readonly bool[] _wholeWord;

    /// <summary>Per filter: the needle of its semantic_words, or -1 (a filter may have both kinds).</summary>
    private readonly int[] _wordNeedleOf;

    /// <summary>Per filter: whether it has a property condition.</summary>
    private readonly bool[] _hasProperty;

    /// <summary>Label → bit n set when it contains needle n. Only when there are at most 64 needles.</summary>
    private readonly ConcurrentDictionary<string, ulong>? _labelHits;

    public FilterTable(IReadOnlyList<EventFilter> filters)
    {
        _filters = [.. filters];
        _needleOf = new int[_filters.Length];
        _wordNeedleOf = new int[_filters.Length];
        _hasProperty = new bool[_filters.Length];
        var needles = new List<(string Text, bool WholeWord)>();
        for (var i = 0; i < _filters.Length; i++)
        {
            _needleOf[i] = NeedleOf(_filters[i].SemanticContains, wholeWord: false);
            _wordNeedleOf[i] = NeedleOf(_filters[i].SemanticWords, wholeWord: true);
            _hasProperty[i] = _filters[i].Property is not null;
        }
        _needles = [.. needles.Select(n => n.Text)];
        _wholeWord = [.. needles.Select(n => n.WholeWord)];

        int NeedleOf(string? text, bool wholeWord)
        {
            if (text is null)
            {
                return -1;
            }
            var needle = (text.ToUpperInvariant(), wholeWord);
            var at = needles.IndexOf(needle);
            if (at < 0)
            {
                at = needles.Count;
                needles.Add(needle);
            }
            return at;
        }
        _labelHits = _needles.Length is > 0 and <= 64 ? new ConcurrentDictionary<string, ulong>(StringComparer.Ordinal) : null;
    }

    public int Count => _filters.Length;

    public static bool FitsOnStack(int count) => count <= StackLimit;

    /// <summary>Writes whether <paramref name="e"/> passes each filter into <paramref name="hits"/>.</summary>
    public void Evaluate(EnrichedEvent e, Span<bool> hits)
    {
        if (_labelHits is null)
        {
            EvaluateUncached(e, hits);
            return;
        }
        var contained = NeedleHits(e.SemanticLabel, _labelHits);
        for (var i = 0; i < _filters.Length; i++)
        {
            var n = _needleOf[i];
            var w = _wordNeedleOf[i];
            hits[i] = (n < 0 || (contained & (1UL << n)) != 0)
                && (w < 0 || (contained & (1UL << w)) != 0)
                && _filters[i].MatchesStructure(e)
                && (!_hasProperty[i] || _filters[i].MatchesProperty(e));
        }
    }

    private ulong NeedleHits(string label, ConcurrentDictionary<string, ulong> cache)
    {
        if (cache.TryGetValue(label, out var known))
        {
            return known;
        }
        var upper = UpperCase(label, label.Length <= StackLimit ? stackalloc char[label.Length] : new char[label.Length]);
        ulong contained = 0;
        for (var n = 0; n < _needles.Length; n++)
        {
            if (Holds(upper, n))
            {
                contained |= 1UL << n;
            }
        }
        if (cache.Count < LabelCacheLimit)
        {
            cache.TryAdd(label, contained);
        }
        return contained;
    }

    /// <summary>For rule sets with more than 64 distinct substrings: each tested at most once, only when needed.</summary>
    private void EvaluateUncached(EnrichedEvent e, Span<bool> hits)
    {
        // 0 = not tested yet, 1 = contained, 2 = not contained.
        var needleState = _needles.Length <= StackLimit ? stackalloc byte[_needles.Length] : new byte[_needles.Length];
        needleState.Clear();
        var label = _needles.Length == 0
            ? default
            : UpperCase(e.SemanticLabel, e.SemanticLabel.Length <= StackLimit ? stackalloc char[e.SemanticLabel.Length] : new char[e.SemanticLabel.Length]);
        for (var i = 0; i < _filters.Length; i++)
        {
            hits[i] = _filters[i].MatchesStructure(e)
                && Test(_needleOf[i], label, needleState)
                && Test(_wordNeedleOf[i], label, needleState)
                && (!_hasProperty[i] || _filters[i].MatchesProperty(e));
        }
    }

    private bool Test(int n, ReadOnlySpan<char> label, Span<byte> needleState)
    {
        if (n < 0)
        {
            return true;
        }
        if (needleState[n] == 0)
        {
            needleState[n] = Holds(label, n) ? (byte)1 : (byte)2;
        }
        return needleState[n] == 1;
    }

    private bool Holds(ReadOnlySpan<char> upperLabel, int n) => _wholeWord[n]
        ? LabelWords.ContainsUpper(upperLabel, _needles[n])
        : upperLabel.IndexOf(_needles[n].AsSpan()) >= 0;

    private static ReadOnlySpan<char> UpperCase(string label, Span<char> buffer)
    {
        label.AsSpan().ToUpperInvariant(buffer);
        return buffer;
    }
}
