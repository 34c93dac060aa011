using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Api.LimitBodies;

namespace SessionInsights.Integration.Tests.Api;

/// <summary>
/// The documented limits at their exact boundaries, on every endpoint they apply to: a single-event
/// request of 2 MiB, a batch of 20 MiB and a body 64 levels deep pass and their events arrive; one byte
/// or one level more is refused with a problem naming <c>body</c>, and nothing of it is stored.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class LimitBoundaryTests(GatewayFixture gateway)
{
    /// <summary>Gzip: the limits apply to the decompressed body (README), so the sizes are of the JSON inside.</summary>
    public static TheoryData<string, bool> SingleEventPaths => new()
    {
        { "/ingest", false },
        { "/capture", false },
        { "/e", false },
        { "/i/v0/e", false },
        { "/batch", false },
        { "/e", true },
    };

    public static TheoryData<string, bool> BatchPaths => new()
    {
        { "/batch", false },
        { "/e", false },
        { "/batch", true },
    };

    public static TheoryData<string, bool> DepthCases => new()
    {
        { "/ingest", false },
        { "/capture", false },
        { "/batch", true },
        { "/e", true },
    };

    [Theory]
    [MemberData(nameof(SingleEventPaths))]
    public async Task Single_event_body_of_exactly_2_MiB_is_accepted_and_arrives(string path, bool gzip)
    {
        var user = User("2mib", path, gzip);
        var uuid = Guid.NewGuid();

        var response = await PostAsync(path, SingleEvent(path, user, uuid, TwoMiB), gzip);

        await AssertAcceptedAsync(response, path);
        var evt = await WaitForLatestEventAsync(user, uuid);
        Assert.True(evt.GetProperty("context").GetProperty("blob").GetString()!.Length > TwoMiB - 1024, "the blob arrived cut");
    }

    [Theory]
    [MemberData(nameof(SingleEventPaths))]
    public async Task Single_event_body_one_byte_over_2_MiB_is_413_and_nothing_is_stored(string path, bool gzip)
    {
        var user = User("2mib-over", path, gzip);

        var response = await PostAsync(path, SingleEvent(path, user, Guid.NewGuid(), TwoMiB + 1), gzip);

        await ProblemAssert.ProblemAsync(response, 413, "body", $"{path} 2 MiB + 1");
        await AssertNothingStoredAsync(user);
    }

    [Theory]
    [MemberData(nameof(BatchPaths))]
    public async Task Batch_body_of_exactly_20_MiB_is_accepted_and_every_event_arrives(string path, bool gzip)
    {
        var user = User("20mib", path, gzip);
        var uuids = Enumerable.Range(0, 12).Select(_ => Guid.NewGuid()).ToList();

        var response = await PostAsync(path, Batch(path, user, uuids, TwentyMiB), gzip);

        await AssertAcceptedAsync(response, path);
        await WaitForSessionEventsAsync($"s-{user}", uuids.Count);
        Assert.Equal(uuids.Count, await gateway.Db.ScalarAsync($"SELECT count(*) FROM raw_event WHERE distinct_id = '{user}'"));
    }

    [Theory]
    [MemberData(nameof(BatchPaths))]
    public async Task Batch_body_one_byte_over_20_MiB_is_413_and_nothing_is_stored(string path, bool gzip)
    {
        var user = User("20mib-over", path, gzip);
        var uuids = Enumerable.Range(0, 12).Select(_ => Guid.NewGuid()).ToList();

        var response = await PostAsync(path, Batch(path, user, uuids, TwentyMiB + 1), gzip);

        await ProblemAssert.ProblemAsync(response, 413, "body", $"{path} 20 MiB + 1");
        await AssertNothingStoredAsync(user);
    }

    [Theory]
    [MemberData(nameof(DepthCases))]
    public async Task Body_64_levels_deep_is_accepted_and_arrives_whole(string path, bool asBatch)
    {
        var user = User("depth64", path);
        var uuid = Guid.NewGuid();
        var (body, sent) = Nested(path, user, uuid, 64, asBatch);

        var response = await PostAsync(path, body);

        await AssertAcceptedAsync(response, path);
        var evt = await WaitForLatestEventAsync(user, uuid);
        // The nested arrays reach the chatbot's context whole, not cut or dropped.
        var arrays = 0;
        for (var deep = evt.GetProperty("context").GetProperty("deep"); deep.ValueKind == JsonValueKind.Array; deep = deep.GetArrayLength() > 0 ? deep[0] : default)
        {
            arrays++;
        }
        Assert.Equal(sent, arrays);
    }

    [Theory]
    [MemberData(nameof(DepthCases))]
    public async Task Body_65_levels_deep_is_400_naming_body_and_nothing_is_stored(string path, bool asBatch)
    {
        var user = User("depth65", path);

        var response = await PostAsync(path, Nested(path, user, Guid.NewGuid(), 65, asBatch).Body);

        await ProblemAssert.ProblemAsync(response, 400, "body", $"{path} 65 levels");
        await AssertNothingStoredAsync(user);
    }

    private static string User(string test, string path, bool gzip = false) => $"limit-{test}{path.Replace('/', '-')}{(gzip ? "-gzip" : "")}";

    private async Task<HttpResponseMessage> PostAsync(string path, byte[] body, bool gzip = false)
    {
        // 20 MiB through a loaded machine's loopback and into one transaction: more than the default 30 s.
        using var http = new HttpClient { BaseAddress = gateway.Node.BaseAddress, Timeout = TimeSpan.FromMinutes(3) };
        var content = new ByteArrayContent(gzip ? Gzip(body) : body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await http.PostAsync(gzip ? path + "?compression=gzip" : path, content);
        // Read now: the client is disposed on return.
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static async Task AssertAcceptedAsync(HttpResponseMessage response, string path)
    {
        var expected = path == "/ingest" ? HttpStatusCode.Accepted : HttpStatusCode.OK;
        Assert.True(response.StatusCode == expected, $"{path}: expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task AssertNothingStoredAsync(string user) =>
        Assert.Equal(0, await gateway.Db.ScalarAsync($"SELECT count(*) FROM raw_event WHERE distinct_id = '{user}'"));

    /// <summary>Polls the user's context until its latest event is <paramref name="uuid"/>; read deeper than JSON's usual 64 levels.</summary>
    private async Task<JsonElement> WaitForLatestEventAsync(string user, Guid uuid)
    {
        using var http = new HttpClient { BaseAddress = gateway.Node.BaseAddress, Timeout = TimeSpan.FromMinutes(1) };
        var last = "";
        JsonElement found = default;
        await ContextReader.WaitUntilAsync(
            async () =>
            {
                using var response = await http.GetAsync($"/session/context/{user}?recent_events_limit=1");
                last = $"{(int)response.StatusCode} {Truncate(await response.Content.ReadAsStringAsync())}";
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return false;
                }
                var context = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(), new JsonDocumentOptions { MaxDepth = 1000 }).RootElement;
                var events = context.GetProperty("recent_events");
                if (events.GetArrayLength() != 1 || events[0].GetProperty("raw_event_id").GetString() != uuid.ToString())
                {
                    return false;
                }
                found = events[0].Clone();
                return true;
            },
            () => $"event {uuid} in the context of {user} (last: {last})",
            timeoutMs: 90_000);
        return found;
    }

    private async Task WaitForSessionEventsAsync(string session, int count)
    {
        using var http = new HttpClient { BaseAddress = gateway.Node.BaseAddress, Timeout = TimeSpan.FromMinutes(1) };
        var last = "";
        await ContextReader.WaitUntilAsync(
            async () =>
            {
                using var response = await http.GetAsync($"/session/{session}?events_limit=1");
                last = $"{(int)response.StatusCode} {Truncate(await response.Content.ReadAsStringAsync())}";
                return response.StatusCode == HttpStatusCode.OK
                    && JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync()).RootElement.GetProperty("session").GetProperty("event_count").GetInt32() == count;
            },
            () => $"session {session} to count {count} events (last: {last})",
            timeoutMs: 120_000);
    }

    private static byte[] Gzip(byte[] body)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(body);
        }
        return output.ToArray();
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
