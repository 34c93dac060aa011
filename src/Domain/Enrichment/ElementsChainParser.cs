using System.Runtime.CompilerServices;

namespace SessionInsights.Domain.Enrichment;

/// <summary>
/// Reads PostHog's <c>elements_chain</c> (SPEC §3): <c>;</c>-separated segments, innermost element
/// first, each <c>tag.class1.class2:key="value"key="value"…</c>.
/// </summary>
/// <remarks>
/// <para>A single forward scan over the chain: only the strings returned are allocated, and only
/// the first five segments are looked at. Inside a quoted value <c>\"</c> is an escaped quote
/// (posthog-js escapes nothing else), so <c>;</c> and <c>:</c> in values never split anything.</para>
/// <para>Never throws: a malformed chain yields whatever could be read before the damage. An
/// unterminated quote runs to the end of the chain, so it ends the hierarchy there.</para>
/// </remarks>
public static class ElementsChainParser
{
    public const int HierarchyDepth = 5;

    private const string CaptureAttributePrefix = "attr__data-ph-capture-attribute-";

    public static ParsedElementsChain Parse(string? chain)
    {
        if (string.IsNullOrEmpty(chain))
        {
            return ParsedElementsChain.Empty;
        }

        var s = chain.AsSpan();
        var hierarchy = new HierarchyBuffer();
        var depth = 0;

        var firstEnd = FirstSegment(s, out var elementText, out var attributes);
        var pos = 0;
        var end = firstEnd;
        while (true)
        {
            var tag = LeadingTag(s[pos..end]);
            if (!tag.IsEmpty)
            {
                hierarchy[depth++] = HtmlTagNames.ToLowerTag(tag);
            }
            if (depth == HierarchyDepth || end >= s.Length)
            {
                break;
            }
            pos = end + 1;
            end = pos + SegmentLength(s[pos..]);
        }

        // The element type belongs to the first segment only: a chain whose first segment has no tag
        // has no element type, even when ancestors do.
        var elementType = LeadingTag(s[..firstEnd]).IsEmpty ? null : hierarchy[0];
        var types = depth == 0 ? [] : ((ReadOnlySpan<string>)hierarchy)[..depth].ToArray();
        return new ParsedElementsChain(elementType, elementText, attributes, types);
    }

    /// <summary>Reads the clicked element's text, alt and capture attributes; returns where the segment ends.</summary>
    private static int FirstSegment(ReadOnlySpan<char> s, out string? elementText, out CaptureAttribute[] attributes)
    {
        elementText = null;
        string? alt = null;
        attributes = [];
        var attributeCount = 0;

        var p = AttributesStart(s);
        while (p < s.Length && s[p] != ';')
        {
            // A key runs up to '='; a quote or ';' before it means the segment is damaged here.
            var keyStart = p;
            var stop = s[p..].IndexOfAny('=', '"', ';');
            if (stop < 0)
            {
                p = s.Length;
                break;
            }
            p += stop;
            if (s[p] == ';')
            {
                break;
            }
            if (s[p] == '"')
            {
                p = SkipQuoted(s, p + 1, out _, out _);
                continue;
            }

            var key = s[keyStart..p];
            p++;
            if (p >= s.Length || s[p] != '"')
            {
                // An unquoted value is not something PostHog writes; resume at the next key.
                continue;
            }
            var valueStart = p + 1;
            p = SkipQuoted(s, valueStart, out var valueEnd, out var escaped);
            var value = s[valueStart..valueEnd];

            if (key.SequenceEqual("text"))
            {
                if (elementText is null && !value.IsWhiteSpace())
                {
                    elementText = Unescape(value, escaped);
                }
            }
            else if (key.SequenceEqual("attr__alt"))
            {
                if (alt is null && !value.IsWhiteSpace())
                {
                    alt = Unescape(value, escaped);
                }
            }
            else if (key.StartsWith(CaptureAttributePrefix) && key.Length > CaptureAttributePrefix.Length)
            {
                if (attributeCount == 0)
                {
                    // The prefix count bounds the attribute count (values may mention it too), so
                    // one array usually fits exactly.
                    attributes = new CaptureAttribute[s[keyStart..SegmentEnd(s, keyStart)].Count(CaptureAttributePrefix)];
                }
                if (attributeCount == attributes.Length)
                {
                    Array.Resize(ref attributes, attributeCount + 1);
                }
                attributes[attributeCount++] = new CaptureAttribute(
                    key[CaptureAttributePrefix.Length..].ToString(), Unescape(value, escaped));
            }
        }

        if (attributeCount != attributes.Length)
        {
            Array.Resize(ref attributes, attributeCount);
        }
        elementText ??= alt;
        return Math.Min(p, s.Length);
    }

    /// <summary>
    /// Where a segment's attributes begin: after the first <c>:</c> that is followed by a key and
    /// <c>=</c>. Class names may hold colons themselves (Tailwind's <c>hover:text-indigo-600</c>), but
    /// never a <c>=</c> before the next <c>.</c> or <c>:</c>.
    /// </summary>
    private static int AttributesStart(ReadOnlySpan<char> s)
    {
        var p = 0;
        while (true)
        {
            var stop = s[p..].IndexOfAny(':', ';', '"');
            if (stop < 0)
            {
                return s.Length;
            }
            p += stop;
            if (s[p] != ':')
            {
                // ';': no attributes. '"': damaged; let the attribute loop skip the quoted part.
                return p;
            }
            p++;
            var k = p;
            while (k < s.Length && IsKeyChar(s[k]))
            {
                k++;
            }
            if (k < s.Length && s[k] == '=')
            {
                return p;
            }
        }
    }

    /// <summary>Length of the segment at the start of <paramref name="s"/>, up to its unquoted <c>;</c>.</summary>
    private static int SegmentLength(ReadOnlySpan<char> s) => SegmentEnd(s, 0);

    private static int SegmentEnd(ReadOnlySpan<char> s, int p)
    {
        while (true)
        {
            var stop = s[p..].IndexOfAny(';', '"');
            if (stop < 0)
            {
                return s.Length;
            }
            p += stop;
            if (s[p] == ';')
            {
                return p;
            }
            p = SkipQuoted(s, p + 1, out _, out _);
        }
    }

    /// <summary>
    /// Scans a quoted value starting after its opening quote. Returns the position after the closing
    /// quote (or the end of the chain when it is unterminated), with the value's end.
    /// </summary>
    private static int SkipQuoted(ReadOnlySpan<char> s, int start, out int valueEnd, out bool escaped)
    {
        escaped = false;
        var p = start;
        while (true)
        {
            var q = p < s.Length ? s[p..].IndexOf('"') : -1;
            if (q < 0)
            {
                valueEnd = s.Length;
                return s.Length;
            }
            p += q;
            if (p > start && s[p - 1] == '\\')
            {
                escaped = true;
                p++;
                continue;
            }
            valueEnd = p;
            return p + 1;
        }
    }

    private static string Unescape(ReadOnlySpan<char> value, bool escaped)
    {
        if (!escaped)
        {
            return value.ToString();
        }
        var quotes = value.Count("\\\"");
        return string.Create(value.Length - quotes, value, static (dest, src) =>
        {
            var d = 0;
            for (var i = 0; i < src.Length; i++)
            {
                if (src[i] == '\\' && i + 1 < src.Length && src[i + 1] == '"')
                {
                    continue;
                }
                dest[d++] = src[i];
            }
        });
    }

    private static ReadOnlySpan<char> LeadingTag(ReadOnlySpan<char> segment)
    {
        var n = 0;
        while (n < segment.Length && char.IsAsciiLetterOrDigit(segment[n]))
        {
            n++;
        }
        return segment[..n];
    }

    private static bool IsKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    [InlineArray(HierarchyDepth)]
    private struct HierarchyBuffer
    {
        private string _element0;
    }
}
