using SessionInsights.Grains.Enrichment;

namespace SessionInsights.Grains.Patterns;

/// <summary>
/// The distinct filters of a rule set, evaluated once per event. Rules that share a filter share its
/// result, and filters that share a label substring share that (costliest) test.
/// </summary>
internal sealed class FilterTable
{
    // Above this the per-event scratch space moves from the stack to the heap.
    private const int StackLimit = 256;

    private readonly EventFilter[] _filters;
    private readonly int[] _needleOf;
    private readonly string[] _needles;

    public FilterTable(IReadOnlyList<EventFilter> filters)
    {
        _filters = [.. filters];
        _needleOf = new int[_filters.Length];
        var needles = new List<string>();
        for (var i = 0; i < _filters.Length; i++)
        {
            var needle = _filters[i].SemanticContains;
            if (needle is null)
            {
                _needleOf[i] = -1;
                continue;
            }
            var at = needles.FindIndex(n => string.Equals(n, needle, StringComparison.OrdinalIgnoreCase));
            if (at < 0)
            {
                at = needles.Count;
                needles.Add(needle);
            }
            _needleOf[i] = at;
        }
        _needles = [.. needles];
    }

    public int Count => _filters.Length;

    /// <summary>Writes whether <paramref name="e"/> passes each filter into <paramref name="hits"/>.</summary>
    public void Evaluate(EnrichedEvent e, Span<bool> hits)
    {
        // 0 = not tested yet, 1 = contained, 2 = not contained.
        var needleState = _needles.Length <= StackLimit ? stackalloc byte[_needles.Length] : new byte[_needles.Length];
        needleState.Clear();
        var label = e.SemanticLabel.AsSpan();
        for (var i = 0; i < _filters.Length; i++)
        {
            if (!_filters[i].MatchesStructure(e))
            {
                hits[i] = false;
                continue;
            }
            var n = _needleOf[i];
            if (n < 0)
            {
                hits[i] = true;
                continue;
            }
            if (needleState[n] == 0)
            {
                needleState[n] = label.Contains(_needles[n], StringComparison.OrdinalIgnoreCase) ? (byte)1 : (byte)2;
            }
            hits[i] = needleState[n] == 1;
        }
    }

    public static bool FitsOnStack(int count) => count <= StackLimit;
}
