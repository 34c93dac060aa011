using System.Text;
using System.Text.Json;
using SessionInsights.Domain.Events;

namespace SessionInsights.Domain.Enrichment;

/// <summary>The page an event happened on (SPEC §4): its path and a readable title.</summary>
public readonly record struct PageInfo(string Path, string Title)
{
    public const string RootPath = "/";
    public const string HomeTitle = "home page";

    /// <summary>
    /// Path from <c>$pathname</c>, else from <c>$current_url</c>, else <c>/</c>, without a trailing
    /// slash. Title from <c>title</c>, else from the path's first segment. Empty strings count as missing.
    /// </summary>
    public static PageInfo From(JsonElement properties)
    {
        var path = ReadPath(properties);
        var title = properties.ValueKind == JsonValueKind.Object
            && properties.TryGetProperty("title"u8, out var t)
            && t.ValueKind == JsonValueKind.String
            && !t.ValueEquals(""u8)
                ? t.GetString()!
                : TitleFromPath(path);
        return new PageInfo(path, title);
    }

    private static string ReadPath(JsonElement properties)
    {
        if (properties.ValueKind != JsonValueKind.Object)
        {
            return RootPath;
        }
        if (TryGetNonEmptyString(properties, "$pathname"u8, out var pathname))
        {
            return NormalizePath(JsonUtf8.StringValue(pathname));
        }
        if (TryGetNonEmptyString(properties, "$current_url"u8, out var url))
        {
            return NormalizePath(PathOfUrl(JsonUtf8.StringValue(url)));
        }
        return RootPath;
    }

    /// <summary>
    /// The path of an absolute or relative URL, without query or fragment. Done by hand because
    /// <see cref="Uri"/> costs several allocations per event and rejects some real-world URLs.
    /// </summary>
    internal static ReadOnlySpan<byte> PathOfUrl(ReadOnlySpan<byte> url)
    {
        var scheme = url.IndexOf("://"u8);
        if (scheme >= 0)
        {
            var afterScheme = url[(scheme + 3)..];
            var slash = afterScheme.IndexOfAny((byte)'/', (byte)'?', (byte)'#');
            url = slash < 0 || afterScheme[slash] != (byte)'/' ? [] : afterScheme[slash..];
        }
        var cut = url.IndexOfAny((byte)'?', (byte)'#');
        return cut < 0 ? url : url[..cut];
    }

    internal static string NormalizePath(ReadOnlySpan<byte> path)
    {
        var end = path.Length;
        while (end > 0 && path[end - 1] == (byte)'/')
        {
            end--;
        }
        if (end == 0)
        {
            return RootPath;
        }
        path = path[..end];
        // A path without its leading slash ("pricing") is still the same page.
        return path[0] == (byte)'/' ? Encoding.UTF8.GetString(path) : "/" + Encoding.UTF8.GetString(path);
    }

    /// <summary>"/product-details/42" → "product details page"; the root is "home page".</summary>
    internal static string TitleFromPath(string path)
    {
        var segment = path.AsSpan(1);
        var slash = segment.IndexOf('/');
        if (slash >= 0)
        {
            segment = segment[..slash];
        }
        if (segment.IsEmpty)
        {
            return HomeTitle;
        }
        // Percent-encoded segments ("caf%C3%A9") would read badly in a title; decoding is rare, so it may allocate.
        if (segment.Contains('%'))
        {
            segment = Uri.UnescapeDataString(segment.ToString());
        }
        return string.Create(segment.Length + " page".Length, segment, static (dest, src) =>
        {
            for (var i = 0; i < src.Length; i++)
            {
                dest[i] = src[i] is '_' or '-' ? ' ' : src[i];
            }
            " page".AsSpan().CopyTo(dest[src.Length..]);
        });
    }

    private static bool TryGetNonEmptyString(JsonElement obj, ReadOnlySpan<byte> name, out JsonElement value) =>
        obj.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.String && !value.ValueEquals(""u8);
}
