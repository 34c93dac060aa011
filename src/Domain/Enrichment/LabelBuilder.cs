using System.Buffers;
using System.Text;

namespace SessionInsights.Domain.Enrichment;

/// <summary>
/// Assembles a label in a stack buffer and makes one string of it, already truncated and
/// capitalized (SPEC §4), so a label costs exactly one allocation.
/// </summary>
internal ref struct LabelBuilder
{
    private const string Ellipsis = "...";

    private Span<char> _chars;
    private char[]? _rented;
    private int _length;

    public LabelBuilder(Span<char> initial)
    {
        _chars = initial;
        _rented = null;
        _length = 0;
    }

    public void Append(string? text) => Append(text.AsSpan());

    public void Append(char c)
    {
        if (_length == _chars.Length)
        {
            Grow(1);
        }
        _chars[_length++] = c;
    }

    public void Append(ReadOnlySpan<char> text)
    {
        if (_length + text.Length > _chars.Length)
        {
            Grow(text.Length);
        }
        text.CopyTo(_chars[_length..]);
        _length += text.Length;
    }

    /// <summary>Appends UTF-8 text (a JSON value's bytes) without making a string of it first.</summary>
    public void AppendUtf8(ReadOnlySpan<byte> utf8)
    {
        var max = Encoding.UTF8.GetMaxCharCount(utf8.Length);
        if (_length + max > _chars.Length)
        {
            Grow(max);
        }
        _length += Encoding.UTF8.GetChars(utf8, _chars[_length..]);
    }

    /// <summary>
    /// The label: cut to <paramref name="maxLength"/>−3 characters plus "..." when longer than
    /// <paramref name="maxLength"/>, then its first character upper-cased. Releases the builder.
    /// </summary>
    public string ToLabel(int maxLength)
    {
        var label = _chars[.._length];
        if (label.Length > maxLength)
        {
            // maxLength ≥ 4 (checked by SemanticLabeler), so at least one character is kept.
            var keep = maxLength - Ellipsis.Length;
            // Never split a surrogate pair: half a character would be invalid text downstream.
            if (char.IsHighSurrogate(label[keep - 1]))
            {
                keep--;
            }
            Ellipsis.CopyTo(label[keep..]);
            label = label[..(keep + Ellipsis.Length)];
        }
        if (!label.IsEmpty)
        {
            label[0] = char.ToUpperInvariant(label[0]);
        }

        var result = label.ToString();
        Dispose();
        return result;
    }

    public void Dispose()
    {
        var rented = _rented;
        this = default;
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private void Grow(int additional)
    {
        var bigger = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, _length + additional));
        _chars[.._length].CopyTo(bigger);
        if (_rented is not null)
        {
            ArrayPool<char>.Shared.Return(_rented);
        }
        _rented = bigger;
        _chars = bigger;
    }
}
