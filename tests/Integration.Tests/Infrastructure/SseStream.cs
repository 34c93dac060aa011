using System.Diagnostics;
using System.Text;

namespace SessionInsights.Integration.Tests.Infrastructure;

/// <summary>One SSE event as a client received it, with the moment it arrived (Stopwatch ticks).</summary>
public sealed record SseEvent(string? Id, string Type, string Data, long ReceivedAt);

/// <summary>
/// A real SSE client: an HttpClient reading <c>text/event-stream</c> line by line in the background
/// (the SSE rules for id, event, data and comment lines), so a test sees events as they arrive and the
/// comments too (System.Net.ServerSentEvents.SseParser drops comments).
/// </summary>
public sealed class SseStream : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<SseEvent> _events = [];
    private readonly List<string> _comments = [];
    private readonly Task _reading;

    private SseStream(HttpClient http, HttpResponseMessage response)
    {
        _http = http;
        _response = response;
        _reading = Task.Run(ReadAsync);
    }

    /// <summary>The id of the last event that had one, as EventSource keeps it for a reconnect.</summary>
    public string? LastEventId { get; private set; }

    public Exception? Failure { get; private set; }

    public bool Ended { get; private set; }

    public static async Task<SseStream> OpenAsync(Uri baseAddress, string path, string? lastEventId = null)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            // Only a failed answer is read whole: a stream never ends.
            Assert.Fail($"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseStream(http, response);
    }

    public IReadOnlyList<SseEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public IReadOnlyList<string> Comments
    {
        get
        {
            lock (_events)
            {
                return [.. _comments];
            }
        }
    }

    /// <summary>Waits (deadline, not a fixed sleep) until <paramref name="done"/> holds for the events so far.</summary>
    public async Task<IReadOnlyList<SseEvent>> WaitForAsync(Func<IReadOnlyList<SseEvent>, bool> done, string what, int timeoutMs = 60000)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var events = Events;
            if (done(events))
            {
                return events;
            }
            if (deadline.ElapsedMilliseconds > timeoutMs || Ended)
            {
                throw new TimeoutException($"{what}: not seen within {timeoutMs} ms (ended: {Ended}, {Failure?.Message}); got {events.Count} events: {string.Join(" ", events.TakeLast(20).Select(e => $"{e.Type}#{e.Id}"))}");
            }
            await Task.Delay(20);
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            using var reader = new StreamReader(await _response.Content.ReadAsStreamAsync(_stop.Token), Encoding.UTF8);
            string? id = null, type = null;
            var data = new StringBuilder();
            var hasData = false;
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (hasData)
                    {
                        lock (_events)
                        {
                            _events.Add(new SseEvent(id, type ?? "message", data.ToString(), Stopwatch.GetTimestamp()));
                        }
                        if (id is not null)
                        {
                            LastEventId = id;
                        }
                    }
                    id = null;
                    type = null;
                    data.Clear();
                    hasData = false;
                    continue;
                }
                if (line[0] == ':')
                {
                    lock (_events)
                    {
                        _comments.Add(line[1..].Trim());
                    }
                    continue;
                }
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var field = colon < 0 ? line : line[..colon];
                var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
                switch (field)
                {
                    case "id":
                        id = value;
                        break;
                    case "event":
                        type = value;
                        break;
                    case "data":
                        data.Append(hasData ? "\n" : "").Append(value);
                        hasData = true;
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Failure = _stop.IsCancellationRequested ? null : ex;
        }
        finally
        {
            Ended = true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        // Disposing the response aborts the connection, which ends a read the token did not.
        _response.Dispose();
        _http.Dispose();
        try
        {
            await _reading.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
        }
        _stop.Dispose();
    }
}
