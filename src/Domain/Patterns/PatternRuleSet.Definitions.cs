using System.Text.Json;

namespace SessionInsights.Domain.Patterns;

/// <summary>The rule file's text of each rule, so rules can be stored one by one and put back together.</summary>
public sealed partial class PatternRuleSet
{
    private static readonly JsonDocumentOptions DefinitionOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Each rule's object as compact JSON (comments and layout dropped), in rule order.</summary>
    public IReadOnlyList<string> Definitions { get; private init; } = [];

    /// <summary>A set from single-rule definitions, validated like a rule file (duplicate codes included).</summary>
    public static PatternRuleSet FromDefinitions(IEnumerable<string> definitions) =>
        FromJson($"{{\"rules\":[{string.Join(",", definitions)}]}}");

    /// <summary>
    /// Validates one rule object; returns it with its compact definition. Errors name the field as the
    /// rule file's parser does (<see cref="PatternRuleException.Field"/>).
    /// </summary>
    public static (PatternRule Rule, string Definition) ParseDefinition(string json)
    {
        string compact;
        try
        {
            using var doc = JsonDocument.Parse(json, DefinitionOptions);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new PatternRuleException("A rule must be a JSON object.", field: "rule");
            }
            // Re-serialized before it is embedded, so the text cannot close the array it is put in.
            compact = JsonSerializer.Serialize(doc.RootElement);
        }
        catch (JsonException ex)
        {
            throw new PatternRuleException($"The rule is not valid JSON: {ex.Message}", field: "rule", inner: ex);
        }
        var set = FromDefinitions([compact]);
        return (set.Rules[0], set.Definitions[0]);
    }

    /// <summary>Per rule of this set, the index of the same rule with the same definition in <paramref name="previous"/>, or -1.</summary>
    internal int[] StateSourcesIn(PatternRuleSet previous)
    {
        var sources = new int[Count];
        for (var i = 0; i < Count; i++)
        {
            var j = previous.IndexOf(Rules[i].Code);
            sources[i] = j >= 0 && previous.Fingerprints[j] == Fingerprints[i] ? j : -1;
        }
        return sources;
    }

    private static string[] DefinitionsOf(string json)
    {
        using var doc = JsonDocument.Parse(json, DefinitionOptions);
        return [.. doc.RootElement.GetProperty("rules").EnumerateArray().Select(e => JsonSerializer.Serialize(e))];
    }
}
