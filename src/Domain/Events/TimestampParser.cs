namespace SessionInsights.Domain.Events;

/// <summary>
/// Parses the ISO-8601 timestamps PostHog sends (SPEC §1): <c>T</c> or a space between date and
/// time, seconds optional, 0–7 fraction digits, an optional <c>Z</c> / <c>±HH:MM</c> / <c>±HHMM</c> /
/// <c>±HH</c> offset. No offset means UTC. Results are normalized to UTC so that every consumer
/// compares and prints instants the same way.
/// </summary>
/// <remarks>
/// Hand-rolled rather than <see cref="DateTimeOffset.TryParseExact(string?, string?, IFormatProvider?, System.Globalization.DateTimeStyles, out DateTimeOffset)"/>:
/// the accepted shapes combine into dozens of format strings, and this runs once per ingested event.
/// </remarks>
public static class TimestampParser
{
    private const int MaxFractionDigits = 7;

    /// <summary>Parses UTF-16 text; non-ASCII input is rejected.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        // The longest valid form is "YYYY-MM-DDTHH:MM:SS.fffffff+HH:MM" (33 chars).
        if (text.Length is 0 or > 40)
        {
            return false;
        }

        Span<byte> ascii = stackalloc byte[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] > 0x7F)
            {
                return false;
            }
            ascii[i] = (byte)text[i];
        }
        return TryParse(ascii, out value);
    }

    /// <summary>Parses UTF-8 (ASCII) text, e.g. a JSON string's unescaped bytes.</summary>
    public static bool TryParse(ReadOnlySpan<byte> s, out DateTimeOffset value)
    {
        value = default;
        var p = 0;

        if (!ReadDigits(s, ref p, 4, out var year) || !Expect(s, ref p, (byte)'-')
            || !ReadDigits(s, ref p, 2, out var month) || !Expect(s, ref p, (byte)'-')
            || !ReadDigits(s, ref p, 2, out var day))
        {
            return false;
        }

        if (p >= s.Length || s[p] is not ((byte)'T' or (byte)'t' or (byte)' '))
        {
            return false;
        }
        p++;

        if (!ReadDigits(s, ref p, 2, out var hour) || !Expect(s, ref p, (byte)':')
            || !ReadDigits(s, ref p, 2, out var minute))
        {
            return false;
        }

        var second = 0;
        long fractionTicks = 0;
        if (p < s.Length && s[p] == (byte)':')
        {
            p++;
            if (!ReadDigits(s, ref p, 2, out second))
            {
                return false;
            }
            if (p < s.Length && s[p] == (byte)'.')
            {
                p++;
                if (!ReadFraction(s, ref p, out fractionTicks))
                {
                    return false;
                }
            }
        }

        if (!ReadOffset(s, ref p, out var offset) || p != s.Length)
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var localTicks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).Ticks + fractionTicks;
        var utcTicks = localTicks - offset.Ticks;
        // An offset can push an instant near year 1 or 9999 outside what DateTimeOffset can hold.
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        value = new DateTimeOffset(utcTicks, TimeSpan.Zero);
        return true;
    }

    private static bool ReadOffset(ReadOnlySpan<byte> s, ref int p, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (p == s.Length)
        {
            return true;
        }

        var sign = s[p];
        if (sign is (byte)'Z' or (byte)'z')
        {
            p++;
            return true;
        }
        if (sign is not ((byte)'+' or (byte)'-'))
        {
            return false;
        }
        p++;

        if (!ReadDigits(s, ref p, 2, out var hours))
        {
            return false;
        }
        var minutes = 0;
        if (p < s.Length)
        {
            if (s[p] == (byte)':')
            {
                p++;
            }
            if (!ReadDigits(s, ref p, 2, out minutes))
            {
                return false;
            }
        }

        // ±14:00 is the widest offset in use and the widest DateTimeOffset accepts.
        if (minutes > 59 || hours * 60 + minutes > 14 * 60)
        {
            return false;
        }
        offset = new TimeSpan(hours, minutes, 0);
        if (sign == (byte)'-')
        {
            offset = offset.Negate();
        }
        return true;
    }

    private static bool ReadFraction(ReadOnlySpan<byte> s, ref int p, out long ticks)
    {
        ticks = 0;
        var digits = 0;
        while (p < s.Length && IsDigit(s[p]))
        {
            if (++digits > MaxFractionDigits)
            {
                return false;
            }
            ticks = ticks * 10 + (s[p] - '0');
            p++;
        }
        if (digits == 0)
        {
            return false;
        }
        for (var i = digits; i < MaxFractionDigits; i++)
        {
            ticks *= 10;
        }
        return true;
    }

    private static bool ReadDigits(ReadOnlySpan<byte> s, ref int p, int count, out int value)
    {
        value = 0;
        if (p + count > s.Length)
        {
            return false;
        }
        for (var i = 0; i < count; i++)
        {
            var c = s[p + i];
            if (!IsDigit(c))
            {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        p += count;
        return true;
    }

    private static bool Expect(ReadOnlySpan<byte> s, ref int p, byte c)
    {
        if (p < s.Length && s[p] == c)
        {
            p++;
            return true;
        }
        return false;
    }

    private static bool IsDigit(byte c) => (uint)(c - '0') <= 9;
}
