using System.Text.Json;

namespace SessionInsights.Integration.Tests.Api;

/// <summary>The conformance test's validator finds what it must (pure).</summary>
public class OpenApiValidatorTests
{
    private static readonly OpenApiValidator Validator = new(JsonDocument.Parse("""
        {"components": {"schemas": {
          "Answer": {"type": "object", "required": ["generated_at", "count"], "properties": {
            "generated_at": {"type": "string", "format": "date-time"},
            "count": {"type": "integer"},
            "note": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Note"}]}}},
          "Note": {"type": "object", "properties": {"text": {"type": "string"}}}}}}
        """).RootElement);

    private static List<string> Check(string json) =>
        Validator.Validate(JsonDocument.Parse(json).RootElement, JsonDocument.Parse("""{"$ref": "#/components/schemas/Answer"}""").RootElement);

    [Fact]
    public void A_conforming_answer_has_no_problems() =>
        Assert.Empty(Check("""{"generated_at": "2026-12-01T10:30:45.123456Z", "count": 3, "note": {"text": "x"}}"""));

    [Theory]
    [InlineData("""{"generated_at": "2026-12-01T10:30:45.1234567Z", "count": 3}""", "at most microseconds")]
    [InlineData("""{"generated_at": "2026-12-01T10:30:45+01:00", "count": 3}""", "UTC with Z")]
    [InlineData("""{"generated_at": "2026-12-01T10:30:45Z"}""", "required field 'count'")]
    [InlineData("""{"generated_at": "2026-12-01T10:30:45Z", "count": 3, "extra": 1}""", "undocumented")]
    [InlineData("""{"generated_at": "2026-12-01T10:30:45Z", "count": "3"}""", "String where")]
    [InlineData("""{"generated_at": "2026-12-01T10:30:45Z", "count": 3, "note": {"text": 1}}""", "oneOf")]
    public void Finds_what_the_document_does_not_allow(string json, string expected)
    {
        var problems = Check(json);
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }
}
