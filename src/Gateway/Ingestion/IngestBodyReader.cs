using System.Buffers;
using System.Text.Json;

namespace SessionInsights.Gateway.Ingestion;

/// <summary>Reads a request body as JSON within a size limit, without trusting Content-Length.</summary>
public static class IngestBodyReader
{
    public const int MaxBodyBytes = 2 * 1024 * 1024;

    public static async Task<BodyResult> ReadJsonAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes)
        {
            return BodyResult.TooLarge(maxBytes);
        }
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes + 1, (int?)request.ContentLength + 1 ?? 16 * 1024));
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length > maxBytes)
                    {
                        return BodyResult.TooLarge(maxBytes);
                    }
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes + 1, buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }
                length += read;
                if (length > maxBytes)
                {
                    return BodyResult.TooLarge(maxBytes);
                }
            }
            if (length == 0)
            {
                return BodyResult.Invalid("body", "is empty; send a JSON object");
            }
            if (!System.Text.Unicode.Utf8.IsValid(buffer.AsSpan(0, length)))
            {
                return BodyResult.Invalid("body", "is not valid UTF-8");
            }
            if (JsonNulCheck.ContainsNulEscape(buffer.AsSpan(0, length)))
            {
                return BodyResult.Invalid("body", "contains a NUL character (\\u0000), which cannot be stored");
            }
            try
            {
                // The document keeps the memory it parses, so it gets its own copy, not the pooled buffer.
                var body = buffer.AsSpan(0, length).ToArray();
                return BodyResult.Ok(JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 }));
            }
            catch (JsonException ex)
            {
                return BodyResult.Invalid("body", $"is not valid JSON: {ex.Message}");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

public sealed record BodyResult(JsonDocument? Document, int Status, string? Field, string? Problem)
{
    public static BodyResult Ok(JsonDocument doc) => new(doc, 200, null, null);

    public static BodyResult Invalid(string field, string problem) => new(null, 400, field, problem);

    public static BodyResult TooLarge(int max) => new(null, 413, "body", $"is larger than {max} bytes");
}
