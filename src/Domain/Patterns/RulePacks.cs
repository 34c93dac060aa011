using System.Collections.Concurrent;

namespace SessionInsights.Domain.Patterns;

/// <summary>
/// The rule packs shipped inside the domain assembly (src/Domain/Patterns/Packs): <c>shop</c>, the
/// default (the seeds' rules with their mistakes fixed); <c>saas</c> (upgrade and billing friction,
/// failed payments, limits, errors, onboarding); <c>seed</c> (the seeds' 25 rules exactly as given,
/// to check behaviour against the seeds).
/// </summary>
public static class RulePacks
{
    public const string Shop = "shop";
    public const string Saas = "saas";
    public const string Seed = "seed";

    /// <summary>The pack used when configuration names none.</summary>
    public const string Default = Shop;

    private static readonly ConcurrentDictionary<string, Lazy<PatternRuleSet>> Loaded = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> Names { get; } = [Shop, Saas, Seed];

    public static bool Exists(string name) => Names.Contains(name, StringComparer.Ordinal);

    /// <summary>The pack's rule file, as JSON text in the rules file format.</summary>
    public static string Json(string name)
    {
        Check(name);
        var resource = $"SessionInsights.RulePacks.{name}.json";
        using var stream = typeof(RulePacks).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource {resource} is missing from {typeof(RulePacks).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The pack's rules, parsed once per process (rule sets are immutable and shared).</summary>
    public static PatternRuleSet Load(string name)
    {
        Check(name);
        return Loaded.GetOrAdd(name, n => new Lazy<PatternRuleSet>(() => PatternRuleSet.FromJson(Json(n)))).Value;
    }

    private static void Check(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Exists(name))
        {
            throw new ArgumentException($"Unknown rule pack '{name}' (known: {string.Join(", ", Names)}).", nameof(name));
        }
    }
}
