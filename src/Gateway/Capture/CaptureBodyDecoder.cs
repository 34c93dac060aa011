using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace SessionInsights.Gateway.Capture;

/// <summary>
/// Turns a capture request into JSON bytes, undoing what posthog-js and the server SDKs do to their
/// payloads: gzip, base64, lz64, and form posts of <c>data=</c>, recognized by what the body is; the
/// declared <c>compression</c> is only a hint (docs/ingestion.md "Validation").
/// </summary>
public static class CaptureBodyDecoder
{
    private const int Max = CaptureLimits.MaxBatchRequestBytes;

    public static async Task<(byte[]? Json, CaptureError? Error)> DecodeAsync(HttpRequest request, CancellationToken ct)
    {
        var compression = request.Query["compression"].ToString();
        byte[] raw;
        if (HttpMethods.IsGet(request.Method))
        {
            var data = request.Query["data"].ToString();
            if (data.Length == 0)
            {
                return (null, CaptureError.Invalid("data", "is required (the query parameter holding the payload)"));
            }
            raw = Encoding.UTF8.GetBytes(data);
        }
        else
        {
            if (request.ContentLength > Max)
            {
                return (null, CaptureError.TooLarge("body", Max));
            }
            var body = await BoundedBuffer.ReadAsync(request.Body, Max, ct).ConfigureAwait(false);
            if (body is null)
            {
                return (null, CaptureError.TooLarge("body", Max));
            }
            raw = body;
            if (IsForm(request, raw))
            {
                var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(raw));
                if (!form.TryGetValue("data", out var data) || data.ToString().Length == 0)
                {
                    return (null, CaptureError.Invalid("data", "is required in a form post"));
                }
                if (form.TryGetValue("compression", out var formCompression) && formCompression.ToString().Length > 0)
                {
                    compression = formCompression.ToString();
                }
                raw = Encoding.UTF8.GetBytes(data.ToString());
            }
        }
        if (raw.Length == 0)
        {
            return (null, CaptureError.Invalid("body", "is empty; send an event, an array of events or a batch"));
        }
        return Decode(raw, compression.ToLowerInvariant());
    }

    // curl and some clients label raw JSON or gzip as a form, so the body decides as much as the header.
    private static bool IsForm(HttpRequest request, byte[] raw) =>
        !LooksLikeJson(raw) && !IsGzip(raw)
        && (raw.AsSpan().StartsWith("data="u8)
            || (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) ?? false));

    private static bool IsGzip(byte[] raw) => raw.Length >= 2 && raw[0] == 0x1f && raw[1] == 0x8b;

    /// <summary>
    /// Decodes by what the body is, as PostHog's capture does: the declared compression is a hint that
    /// decides only between readings the body allows (a posthog-js form post to <c>?compression=gzip-js</c>
    /// is base64, not gzip). Gzip is found by its magic bytes, JSON by its first character; other text is
    /// base64 (whose result may be gzip or JSON) or lz-string, the declared one tried first.
    /// </summary>
    private static (byte[]?, CaptureError?) Decode(byte[] raw, string compression)
    {
        if (IsGzip(raw))
        {
            return Gunzip(raw);
        }
        if (LooksLikeJson(raw))
        {
            return (raw, null);
        }
        if (compression == "lz64")
        {
            var (lz, lzError) = LzDecode(raw);
            return lz is not null || lzError!.Status == 413 ? (lz, lzError) : OrNothingFits(FromBase64(raw), compression);
        }
        var (decoded, error) = FromBase64(raw);
        if (decoded is not null || error!.Status == 413)
        {
            return (decoded, error);
        }
        var (text, textError) = LzDecode(raw);
        return text is not null || textError!.Status == 413 ? (text, textError) : OrNothingFits((null, error), compression);
    }

    /// <summary>A failed last reading becomes one clear problem that names every reading tried.</summary>
    private static (byte[]?, CaptureError?) OrNothingFits((byte[]? Json, CaptureError? Error) last, string compression)
    {
        if (last.Json is not null || last.Error!.Status == 413)
        {
            return last;
        }
        var declared = compression.Length == 0 ? "none declared" : $"declared: {compression}";
        return (null, CaptureError.Invalid(
            "body", $"is not JSON, gzip, base64 (of JSON or gzip) or lz-string (lz64) data ({declared}; {last.Error.Problem})"));
    }

    /// <summary>Base64 whose content is JSON or gzip (posthog-js and form posts); anything else is not a reading of this body.</summary>
    private static (byte[]?, CaptureError?) FromBase64(byte[] raw)
    {
        var (bytes, error) = Base64(raw);
        if (bytes is null)
        {
            return (null, error);
        }
        if (IsGzip(bytes))
        {
            return Gunzip(bytes);
        }
        return LooksLikeJson(bytes) ? (bytes, null) : (null, CaptureError.Invalid("body", "is base64 of neither JSON nor gzip"));
    }

    private static (byte[]?, CaptureError?) LzDecode(byte[] raw)
    {
        var text = LzString.DecompressFromBase64(Encoding.UTF8.GetString(raw).Replace(' ', '+'), Max / 3, out var tooLarge);
        if (tooLarge)
        {
            return (null, CaptureError.TooLarge("body", Max));
        }
        var json = text is null ? null : Encoding.UTF8.GetBytes(text);
        return json is not null && LooksLikeJson(json) ? (json, null) : (null, CaptureError.Invalid("body", "is not valid lz-string (lz64) data"));
    }

    private static (byte[]?, CaptureError?) Gunzip(byte[] raw)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            // Synchronous on an in-memory source; the cap stops a bomb after Max bytes.
            var json = BoundedBuffer.ReadAsync(gzip, Max, CancellationToken.None).GetAwaiter().GetResult();
            return json is null ? (null, CaptureError.TooLarge("body", Max)) : (json, null);
        }
        catch (InvalidDataException)
        {
            return (null, CaptureError.Invalid("body", "is not valid gzip data"));
        }
    }

    private static (byte[]?, CaptureError?) Base64(byte[] raw)
    {
        // Text only: a binary body is no base64 (and Encoding.ASCII would turn it into '?').
        foreach (var b in raw)
        {
            if (b > 0x7F)
            {
                return (null, CaptureError.Invalid("body", "is not valid base64 (not ASCII)"));
            }
        }
        // Form decoding turns an unescaped '+' into ' '; URL-safe alphabets and missing padding are common too.
        var text = new StringBuilder(Encoding.ASCII.GetString(raw).Trim())
            .Replace(' ', '+').Replace('-', '+').Replace('_', '/').Replace("\r", "").Replace("\n", "").ToString();
        if (text.Length % 4 == 1)
        {
            return (null, CaptureError.Invalid("body", "is not valid base64 (truncated)"));
        }
        text = text.PadRight(text.Length + (4 - (text.Length % 4)) % 4, '=');
        var bytes = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, bytes, out var written))
        {
            return (null, CaptureError.Invalid("body", "is neither JSON nor valid base64"));
        }
        return (bytes[..written], null);
    }

    private static bool LooksLikeJson(byte[] raw)
    {
        foreach (var b in raw)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                continue;
            }
            return b is (byte)'{' or (byte)'[';
        }
        return false;
    }
}
