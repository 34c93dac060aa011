using System.Buffers;

namespace SessionInsights.Gateway.Capture;

/// <summary>
/// Copies a stream into memory up to a cap, stopping as soon as it is passed, so neither a huge body
/// nor a decompression bomb is ever held whole.
/// </summary>
public static class BoundedBuffer
{
    /// <summary>The bytes read, or null when the stream holds more than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(Stream stream, int maxBytes, CancellationToken ct)
    {
        var output = new ArrayBufferWriter<byte>(16 * 1024);
        while (true)
        {
            var memory = output.GetMemory(16 * 1024);
            var read = await stream.ReadAsync(memory, ct).ConfigureAwait(false);
            if (read == 0)
            {
                return output.WrittenSpan.ToArray();
            }
            output.Advance(read);
            if (output.WrittenCount > maxBytes)
            {
                return null;
            }
        }
    }
}
