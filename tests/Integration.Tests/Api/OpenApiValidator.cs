using System.Text.Json;
using System.Text.RegularExpressions;

namespace SessionInsights.Integration.Tests.Api;

/// <summary>
/// Checks a JSON value against a schema of the OpenAPI document, in the subset the generator writes
/// ($ref, type (one or a list), properties, required, additionalProperties, items, oneOf/anyOf/allOf,
/// enum, pattern, format). Stricter than JSON Schema where an API needs it: an object schema with
/// properties and no additionalProperties admits no other fields ("no undocumented fields"), and a
/// date-time is RFC 3339 UTC with Z and at most microseconds. Written here rather than taken from a
/// library (JsonSchema.Net is on the feed): those two rules are not JSON Schema's, and the document's
/// $refs point into the OpenAPI document rather than into a schema of their own.
/// </summary>
public sealed partial class OpenApiValidator(JsonElement document)
{
    public JsonElement Document { get; } = document;

    /// <returns>The problems found, each with its JSON path; empty when the value conforms.</returns>
    public List<string> Validate(JsonElement value, JsonElement schema, string path = "$")
    {
        var problems = new List<string>();
        Check(value, schema, path, problems);
        return problems;
    }

    public JsonElement Resolve(JsonElement schema)
    {
        while (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference))
        {
            var target = Document;
            foreach (var part in reference.GetString()!.TrimStart('#', '/').Split('/'))
            {
                target = target.GetProperty(part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
            }
            schema = target;
        }
        return schema;
    }

    private void Check(JsonElement value, JsonElement schema, string path, List<string> problems)
    {
        schema = Resolve(schema);
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return; // true / {}: anything
        }
        foreach (var keyword in new[] { "oneOf", "anyOf" })
        {
            if (schema.TryGetProperty(keyword, out var options))
            {
                var failures = options.EnumerateArray().Select(o => Validate(value, o, path)).ToList();
                var passed = failures.Count(f => f.Count == 0);
                if (passed == 0 || (keyword == "oneOf" && passed > 1))
                {
                    problems.Add($"{path}: matches {passed} of the {keyword} schemas ({string.Join(" | ", failures.SelectMany(f => f).Take(4))})");
                }
            }
        }
        if (schema.TryGetProperty("allOf", out var all))
        {
            foreach (var part in all.EnumerateArray())
            {
                Check(value, part, path, problems);
            }
        }
        if (schema.TryGetProperty("type", out var type) && !TypeMatches(value, type))
        {
            problems.Add($"{path}: {value.ValueKind} where the document says {type}");
            return;
        }
        if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => JsonElement.DeepEquals(v, value)))
        {
            problems.Add($"{path}: {value} is not one of {values}");
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var text = value.GetString()!;
                if (schema.TryGetProperty("pattern", out var pattern) && !Regex.IsMatch(text, pattern.GetString()!))
                {
                    problems.Add($"{path}: '{text}' does not match {pattern}");
                }
                if (schema.TryGetProperty("format", out var format))
                {
                    if (format.GetString() == "date-time" && !WireTime().IsMatch(text))
                    {
                        problems.Add($"{path}: '{text}' is not RFC 3339 UTC with Z and at most microseconds");
                    }
                    if (format.GetString() == "uuid" && !Guid.TryParse(text, out _))
                    {
                        problems.Add($"{path}: '{text}' is not a uuid");
                    }
                }
                break;
            case JsonValueKind.Array when schema.TryGetProperty("items", out var items):
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Check(item, items, $"{path}[{i++}]", problems);
                }
                break;
            case JsonValueKind.Object:
                CheckObject(value, schema, path, problems);
                break;
        }
    }

    private void CheckObject(JsonElement value, JsonElement schema, string path, List<string> problems)
    {
        schema.TryGetProperty("properties", out var properties);
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!value.TryGetProperty(name, out _))
                {
                    problems.Add($"{path}: required field '{name}' is missing");
                }
            }
        }
        var hasAdditional = schema.TryGetProperty("additionalProperties", out var additional);
        foreach (var field in value.EnumerateObject())
        {
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(field.Name, out var fieldSchema))
            {
                Check(field.Value, fieldSchema, $"{path}.{field.Name}", problems);
            }
            else if (hasAdditional && additional.ValueKind == JsonValueKind.Object)
            {
                Check(field.Value, additional, $"{path}.{field.Name}", problems);
            }
            else if ((hasAdditional && additional.ValueKind == JsonValueKind.False) || (!hasAdditional && properties.ValueKind == JsonValueKind.Object))
            {
                problems.Add($"{path}.{field.Name}: not in the document (an undocumented field)");
            }
        }
    }

    private static bool TypeMatches(JsonElement value, JsonElement type) =>
        type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Any(t => TypeMatches(value, t.GetString()!)) : TypeMatches(value, type.GetString()!);

    private static bool TypeMatches(JsonElement value, string type) => type switch
    {
        "null" => value.ValueKind == JsonValueKind.Null,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "string" => value.ValueKind == JsonValueKind.String,
        "array" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        _ => false,
    };

    /// <summary>The one time format of the wire (src/Domain/Context/JsonTime.cs).</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")]
    public static partial Regex WireTime();
}
