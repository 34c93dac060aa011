using System.Collections.Concurrent;
using Microsoft.ML.Tokenizers;

namespace SessionInsights.Domain.Context;

/// <summary>
/// The tokenizers a context budget can be counted with, by encoding name. Each is built once per
/// process on first use (building one reads its embedded vocabulary: tens of milliseconds) and is
/// thread-safe, so all requests share it.
/// </summary>
public static class ContextTokenizers
{
    public const string Default = "o200k_base";

    public static IReadOnlyList<string> Names { get; } = [Default, "cl100k_base"];

    private static readonly ConcurrentDictionary<string, Lazy<Tokenizer>> Built = new(StringComparer.Ordinal);

    /// <returns>The tokenizer, or null for a name not in <see cref="Names"/>.</returns>
    public static Tokenizer? Get(string name) =>
        Names.Contains(name, StringComparer.Ordinal)
            ? Built.GetOrAdd(name, n => new Lazy<Tokenizer>(() => TiktokenTokenizer.CreateForEncoding(n))).Value
            : null;
}
