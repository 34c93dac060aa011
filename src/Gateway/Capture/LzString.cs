using System.Text;

namespace SessionInsights.Gateway.Capture;

/// <summary>
/// lz-string's <c>decompressFromBase64</c>, the "lz64" encoding older posthog-js versions send.
/// Ported from lz-string 1.5 so the gateway needs no JavaScript-specific package.
/// </summary>
public static class LzString
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
    private static readonly sbyte[] Values = BuildValues();

    /// <summary>
    /// The decompressed text, or null when the input is not valid lz64 or would exceed
    /// <paramref name="maxChars"/> (then <paramref name="tooLarge"/> is set: a small input can expand
    /// a lot, and the cap keeps a bomb out of memory).
    /// </summary>
    public static string? DecompressFromBase64(string input, int maxChars, out bool tooLarge)
    {
        tooLarge = false;
        if (input.Length == 0)
        {
            return null;
        }
        foreach (var ch in input)
        {
            if (ch >= Values.Length || Values[ch] < 0)
            {
                return null;
            }
        }
        var result = Decompress(new BitReader(input), maxChars, out tooLarge);
        return result;
    }

    private static string? Decompress(BitReader data, int maxChars, out bool tooLarge)
    {
        tooLarge = false;
        var dictionary = new List<string> { "", "", "" };
        int enlargeIn = 4, numBits = 3;
        string c;
        switch (data.Read(2))
        {
            case 0:
                c = ((char)data.Read(8)).ToString();
                break;
            case 1:
                c = ((char)data.Read(16)).ToString();
                break;
            default:
                return "";
        }
        dictionary.Add(c);
        var w = c;
        var result = new StringBuilder(c);
        while (true)
        {
            if (data.Exhausted)
            {
                return null;
            }
            var code = data.Read(numBits);
            switch (code)
            {
                case 0:
                    dictionary.Add(((char)data.Read(8)).ToString());
                    code = dictionary.Count - 1;
                    enlargeIn--;
                    break;
                case 1:
                    dictionary.Add(((char)data.Read(16)).ToString());
                    code = dictionary.Count - 1;
                    enlargeIn--;
                    break;
                case 2:
                    return result.ToString();
            }
            if (enlargeIn == 0)
            {
                enlargeIn = 1 << numBits;
                numBits++;
            }
            string entry;
            if (code < dictionary.Count && dictionary[code].Length > 0)
            {
                entry = dictionary[code];
            }
            else if (code == dictionary.Count)
            {
                entry = w + w[0];
            }
            else
            {
                return null;
            }
            if (result.Length + entry.Length > maxChars)
            {
                tooLarge = true;
                return null;
            }
            if (numBits > 30)
            {
                return null;
            }
            result.Append(entry);
            dictionary.Add(w + entry[0]);
            enlargeIn--;
            w = entry;
            if (enlargeIn == 0)
            {
                enlargeIn = 1 << numBits;
                numBits++;
            }
        }
    }

    private static sbyte[] BuildValues()
    {
        var values = new sbyte[128];
        Array.Fill(values, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++)
        {
            values[Alphabet[i]] = (sbyte)i;
        }
        return values;
    }

    /// <summary>Reads bits most-significant first from 6-bit characters, as lz-string's reader does.</summary>
    private sealed class BitReader(string input)
    {
        private int _value = Values[input[0]];
        private int _position = 32;
        private int _index = 1;

        public bool Exhausted => _index > input.Length;

        public int Read(int bits)
        {
            var result = 0;
            for (var power = 1; bits > 0; bits--, power <<= 1)
            {
                var bit = _value & _position;
                _position >>= 1;
                if (_position == 0)
                {
                    _position = 32;
                    // Past the end lz-string reads undefined, which is 0 in its bit arithmetic.
                    _value = _index < input.Length ? Values[input[_index]] : 0;
                    _index++;
                }
                if (bit > 0)
                {
                    result |= power;
                }
            }
            return result;
        }
    }
}
