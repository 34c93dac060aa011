using System.Text.Json;
using SessionInsights.Domain.Events;

namespace SessionInsights.Domain.Tests.Events;

public class PostHogEventParserTests
{
    private const string Uuid = "0193a8f2-5c1e-7d3a-9b2f-4e6c8a1d2f3b";

    private static PostHogEvent ParseValid(string json)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.True(PostHogEventParser.TryParse(doc.RootElement, out var evt, out var error), error?.ToString());
        Assert.Null(error);
        return evt!;
    }

    private static EventValidationError ParseInvalid(string json)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.False(PostHogEventParser.TryParse(doc.RootElement, out var evt, out var error));
        Assert.Null(evt);
        return error!;
    }

    /// <summary>A valid event with one field replaced (or removed when <paramref name="value"/> is null).</summary>
    private static string With(string field, string? value)
    {
        var fields = new Dictionary<string, string>
        {
            ["event"] = "\"$pageview\"",
            ["distinct_id"] = "\"user-1\"",
            ["timestamp"] = "\"2025-12-08T21:48:08.975Z\"",
            ["properties"] = "{\"$session_id\":\"s-1\"}",
        };
        if (value is null)
        {
            fields.Remove(field);
        }
        else
        {
            fields[field] = value;
        }
        return "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";
    }

    [Fact]
    public void FullEvent_IsParsed()
    {
        var evt = ParseValid($$"""
            {"uuid":"{{Uuid}}","event":"$autocapture","distinct_id":"user-1","timestamp":"2025-12-08T21:48:08.975Z",
             "properties":{"$session_id":"s-1","$event_type":"click"},"elements_chain":"button:text=\"Go\""}
            """);

        Assert.Equal(Guid.Parse(Uuid), evt.Uuid);
        Assert.Equal("$autocapture", evt.Event);
        Assert.Equal("user-1", evt.DistinctId);
        Assert.Equal(new DateTimeOffset(2025, 12, 8, 21, 48, 8, 975, TimeSpan.Zero), evt.Timestamp);
        Assert.Equal("click", evt.Properties.GetProperty("$event_type").GetString());
        Assert.Equal("button:text=\"Go\"", evt.ElementsChain);
        Assert.Equal("s-1", evt.SessionId);
    }

    [Fact]
    public void Timestamp_IsKeptToTheMicrosecond_AsStorageKeepsIt()
    {
        var evt = ParseValid(With("timestamp", "\"2025-12-08T21:48:08.1234567Z\""));

        Assert.Equal(new DateTimeOffset(2025, 12, 8, 21, 48, 8, TimeSpan.Zero).AddTicks(1_234_560), evt.Timestamp);
    }

    [Fact]
    public void PostHogExportEvent_WithoutUuid_GetsAVersion7Uuid()
    {
        // Shape of a real PostHog export row: space in the timestamp, extra top-level keys, "" chain.
        var evt = ParseValid("""
            {"event":"$pageview","timestamp":"2025-12-08 21:48:06.537000","distinct_id":"019aff19-86cb-7abd-b27e-5e3a34fc85f2",
             "person_id":"bcf6859d-cf66-5287-b4f3-9d5570b0fd91","created_at":"2025-12-08 21:48:08.376000","elements_chain":"",
             "properties":{"distinct_id":"019aff19-86cb-7abd-b27e-5e3a34fc85f2","$session_id":"019affef-35d2-7660-86dc-8e9873937f61",
             "$event_type":null,"token":"sample_token","$session_entry_url":"http://localhost:3000/","$el_text":null}}
            """);

        Assert.Equal(7, evt.Uuid.Version);
        Assert.Equal(new DateTimeOffset(2025, 12, 8, 21, 48, 6, 537, TimeSpan.Zero), evt.Timestamp);
        Assert.Null(evt.ElementsChain);
        Assert.Equal("019affef-35d2-7660-86dc-8e9873937f61", evt.SessionId);
    }

    [Fact]
    public void TwoEventsWithoutUuid_GetDifferentUuids()
    {
        Assert.NotEqual(ParseValid(With("event", "\"a\"")).Uuid, ParseValid(With("event", "\"a\"")).Uuid);
    }

    [Fact]
    public void NullUuid_IsTreatedAsAbsent()
    {
        Assert.NotEqual(Guid.Empty, ParseValid(With("uuid", "null")).Uuid);
    }

    [Fact]
    public void NullElementsChain_IsNull()
    {
        Assert.Null(ParseValid(With("elements_chain", "null")).ElementsChain);
    }

    [Fact]
    public void NumericDistinctId_BecomesItsText()
    {
        Assert.Equal("12345", ParseValid(With("distinct_id", "12345")).DistinctId);
    }

    [Fact]
    public void EmptyProperties_AreAccepted()
    {
        var evt = ParseValid(With("properties", "{}"));
        Assert.Equal(JsonValueKind.Object, evt.Properties.ValueKind);
        Assert.Null(evt.SessionId);
    }

    [Fact]
    public void Properties_OutliveTheSourceDocument()
    {
        PostHogEvent evt;
        using (var doc = JsonDocument.Parse(With("properties", "{\"plan\":\"pro\",\"n\":[1,2]}")))
        {
            Assert.True(PostHogEventParser.TryParse(doc.RootElement, out var parsed, out _));
            evt = parsed!;
        }
        Assert.Equal("pro", evt.Properties.GetProperty("plan").GetString());
        Assert.Equal(2, evt.Properties.GetProperty("n").GetArrayLength());
    }

    [Fact]
    public void EscapedStrings_AreDecodedBeforeValidation()
    {
        var evt = ParseValid("""
            {"uuid":"0193a8f2\u002d5c1e-7d3a-9b2f-4e6c8a1d2f3b","event":"caf\u00e9_viewed","distinct_id":"u",
             "timestamp":"2025-12-08T21:48:08\u002e975Z","properties":{}}
            """);
        Assert.Equal(Guid.Parse(Uuid), evt.Uuid);
        Assert.Equal("café_viewed", evt.Event);
        Assert.Equal(975, evt.Timestamp.Millisecond);
    }

    [Fact]
    public void TimestampWithOffset_IsNormalizedToUtc()
    {
        var evt = ParseValid(With("timestamp", "\"2025-12-08T23:48:08+02:00\""));
        Assert.Equal(TimeSpan.Zero, evt.Timestamp.Offset);
        Assert.Equal(21, evt.Timestamp.Hour);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"$pageview\"")]
    [InlineData("null")]
    [InlineData("42")]
    public void NonObject_IsRejectedAtTheRoot(string json)
    {
        var error = ParseInvalid(json);
        Assert.Equal("$", error.Field);
        Assert.Equal("must be a JSON object", error.Problem);
    }

    [Theory]
    [InlineData("event", null, "is required")]
    [InlineData("event", "null", "is required")]
    [InlineData("event", "\"\"", "must be a non-empty string")]
    [InlineData("event", "\"   \"", "must be a non-empty string")]
    [InlineData("event", "42", "must be a non-empty string")]
    [InlineData("event", "{}", "must be a non-empty string")]
    [InlineData("distinct_id", null, "is required")]
    [InlineData("distinct_id", "null", "is required")]
    [InlineData("distinct_id", "\"\"", "must be a non-empty string or a number")]
    [InlineData("distinct_id", "true", "must be a non-empty string or a number")]
    [InlineData("distinct_id", "[\"u\"]", "must be a non-empty string or a number")]
    [InlineData("timestamp", null, "is required")]
    [InlineData("timestamp", "null", "is required")]
    [InlineData("timestamp", "1765230488975", "must be a string holding an ISO-8601 timestamp")]
    [InlineData("properties", "[]", "must be a JSON object")]
    [InlineData("properties", "\"{}\"", "must be a JSON object")]
    [InlineData("elements_chain", "42", "must be a string or null")]
    [InlineData("elements_chain", "[\"div\"]", "must be a string or null")]
    [InlineData("uuid", "\"not-a-guid\"", "must be a GUID string such as 0193a8f2-5c1e-7d3a-9b2f-4e6c8a1d2f3b")]
    [InlineData("uuid", "42", "must be a GUID string such as 0193a8f2-5c1e-7d3a-9b2f-4e6c8a1d2f3b")]
    [InlineData("uuid", "\"\"", "must be a GUID string such as 0193a8f2-5c1e-7d3a-9b2f-4e6c8a1d2f3b")]
    [InlineData("uuid", "\"00000000-0000-0000-0000-000000000000\"", "must not be the all-zero GUID")]
    public void InvalidField_IsNamedWithItsProblem(string field, string? value, string problem)
    {
        var error = ParseInvalid(With(field, value));
        Assert.Equal(field, error.Field);
        Assert.Equal(problem, error.Problem);
    }

    [Theory]
    [InlineData("\"2025-12-08\"")]
    [InlineData("\"2025-12-08T25:00:00Z\"")]
    [InlineData("\"last tuesday\"")]
    [InlineData("\"\"")]
    public void UnparseableTimestamp_SaysItIsNotIso8601(string value)
    {
        var error = ParseInvalid(With("timestamp", value));
        Assert.Equal("timestamp", error.Field);
        Assert.StartsWith("is not an ISO-8601 timestamp", error.Problem);
    }

    [Fact]
    public void SeveralProblems_TheFirstFieldInSpecOrderIsReported()
    {
        var error = ParseInvalid("""{"timestamp":"nope","properties":[],"event":""}""");
        Assert.Equal("event", error.Field);
    }

    [Fact]
    public void ErrorToString_NamesFieldAndProblem()
    {
        Assert.Equal("distinct_id: is required", ParseInvalid(With("distinct_id", null)).ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("null")]
    public void AbsentOrNullProperties_AreAnEmptyObject(string? value)
    {
        // PostHog's capture accepts an event without properties; /ingest gives the same answer (docs/ingestion.md).
        var evt = ParseValid(With("properties", value));
        Assert.Equal(JsonValueKind.Object, evt.Properties.ValueKind);
        Assert.Empty(evt.Properties.EnumerateObject());
    }
}
