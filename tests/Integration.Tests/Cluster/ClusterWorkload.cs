using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Cluster;

/// <summary>
/// Steady streams of events through one gateway until stopped, and a reader per stream that checks
/// every context read holds every event acknowledged before the read began. A stream moves on to a
/// fresh user after <see cref="MaxEventsPerUser"/> events, so it can run as long as the test needs
/// while each user's whole history still fits one context page.
/// </summary>
public sealed class ClusterWorkload : IAsyncDisposable
{
    /// <summary>One context page (recent_events_limit 500) must hold a user's whole stream.</summary>
    public const int MaxEventsPerUser = 450;

    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private readonly List<string> _ingestFailures = [];
    private readonly List<(double At, int Stream, string Source, string User, bool Good, int Missing)> _reads = [];
    private readonly List<UserStream> _users = [];
    private readonly UserStream[] _current;
    private int _readFailures;
    private double _longestBadMs;
    private string _longestBadWhere = "none";
    private double _slowestReadMs;

    public ClusterWorkload(NodeProcess gateway, int users, TimeSpan sendEvery)
    {
        _http = gateway.CreateClient();
        _http.Timeout = TimeSpan.FromSeconds(20);
        var t0 = DateTimeOffset.UtcNow.AddHours(-1);
        _current = new UserStream[users];
        for (var u = 0; u < users; u++)
        {
            var stream = u;
            NextUser(stream, generation: 0);
            _tasks.Add(Task.Run(() => SendAsync(stream, t0, sendEvery)));
            _tasks.Add(Task.Run(() => ReadAsync(stream)));
        }
    }

    /// <summary>Number of concurrent streams (each one sender and one reader).</summary>
    public int Streams => _current.Length;

    /// <summary>Every user any stream has written to so far.</summary>
    public IReadOnlyList<UserStream> Users { get { lock (_gate) { return [.. _users]; } } }

    /// <summary>Seconds since the workload started: the time axis of <see cref="StorageReadsBetween"/>.</summary>
    public double Now => _clock.Elapsed.TotalSeconds;

    public IReadOnlyList<string> IngestFailures { get { lock (_gate) { return [.. _ingestFailures]; } } }

    public int ReadFailures => Volatile.Read(ref _readFailures);

    public int Acknowledged => Users.Sum(u => u.AckedCount);

    /// <summary>Longest time any user's reads kept failing or missing an acknowledged event.</summary>
    public TimeSpan LongestStaleOrFailed { get { lock (_gate) { return TimeSpan.FromMilliseconds(_longestBadMs); } } }

    /// <summary>Whose reads were stale longest, and when (workload seconds).</summary>
    public string LongestStaleOrFailedWhere { get { lock (_gate) { return _longestBadWhere; } } }

    public (string User, double From, double To) LongestStaleUser { get; private set; }

    public TimeSpan SlowestRead { get { lock (_gate) { return TimeSpan.FromMilliseconds(_slowestReadMs); } } }

    public int ReadCount { get { lock (_gate) { return _reads.Count; } } }

    /// <summary>Events each stream had acknowledged in [from, to) (workload seconds), indexed by stream.</summary>
    public int[] AcknowledgedBetween(double from, double to)
    {
        var counts = new int[Streams];
        foreach (var user in Users)
        {
            counts[user.Stream] += user.AckedBetween(from, to);
        }
        return counts;
    }

    /// <summary>Reads in [from, to) that storage answered because the grain did not, and when the last one ended.</summary>
    public (int Count, double LastAt) StorageReadsBetween(double from, double to)
    {
        lock (_gate)
        {
            var hits = _reads.Where(r => r.At >= from && r.At < to && r.Source == "storage").ToList();
            return (hits.Count, hits.Count == 0 ? from : hits.Max(r => r.At));
        }
    }

    /// <summary>One user's reads in a time window, for a failure message.</summary>
    public string Timeline(string user, double from, double to)
    {
        lock (_gate)
        {
            return string.Join("\n", _reads.Where(r => r.User == user && r.At >= from && r.At <= to)
                .Select(r => $"{r.At:F2} s {r.Source} {(r.Good ? "fresh" : $"missing {r.Missing}")}"));
        }
    }

    /// <summary>
    /// Waits until every stream's user context has been read fresh from its grain (not storage) at least
    /// <paramref name="times"/> times since <paramref name="since"/>: the grains serve again.
    /// </summary>
    public async Task WaitForGrainReadsAsync(double since, int times, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (_gate)
            {
                var served = _reads.Where(r => r.At >= since && r.Source == "grain" && r.Good).GroupBy(r => r.Stream).Count(g => g.Count() >= times);
                if (served == Streams)
                {
                    return;
                }
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not every stream's grain answered {times} fresh reads within {timeout} of {since:F1} s");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> events have been acknowledged.</summary>
    public async Task WaitForAcknowledgedAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Acknowledged < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"only {Acknowledged} of {count} events acknowledged after {timeout}");
            }
            await Task.Delay(50);
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_tasks);
    }

    private void NextUser(int stream, int generation)
    {
        var user = new UserStream(generation == 0 ? $"fault-user-{stream}" : $"fault-user-{stream}-{generation}", stream);
        lock (_gate)
        {
            _users.Add(user);
            Volatile.Write(ref _current[stream], user);
        }
    }

    private async Task SendAsync(int stream, DateTimeOffset t0, TimeSpan every)
    {
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            var n = i % MaxEventsPerUser;
            if (n == 0 && i > 0)
            {
                NextUser(stream, i / MaxEventsPerUser);
            }
            var user = Volatile.Read(ref _current[stream]);
            var uuid = Guid.NewGuid();
            // Timestamps follow the send order, so the context's newest 500 are exactly the stream.
            var evt = n % 5 == 0
                ? Pageview(user.Id, $"s-{user.Id}", t0.AddMilliseconds(n * 10), $"/page-{n}", uuid)
                : Click(user.Id, $"s-{user.Id}", t0.AddMilliseconds(n * 10), "/shop", $"Item {n}", uuid);
            try
            {
                var response = await _http.PostAsJsonAsync("/ingest", Envelope(evt));
                if (response.IsSuccessStatusCode)
                {
                    user.Acked(uuid, Now);
                }
                else
                {
                    Fail($"{user.Id} #{n}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                Fail($"{user.Id} #{n}: {ex.GetType().Name} {ex.Message}");
            }
            await Task.Delay(every);
        }
    }

    private void Fail(string what)
    {
        lock (_gate)
        {
            _ingestFailures.Add(what);
        }
    }

    private async Task ReadAsync(int stream)
    {
        double? badSince = null;
        while (!_stop.IsCancellationRequested)
        {
            var user = Volatile.Read(ref _current[stream]);
            var expected = user.AckedSnapshot();
            var started = Now;
            var good = false;
            var missing = -1;
            var source = "none";
            try
            {
                using var response = await _http.GetAsync($"/session/context/{user.Id}?recent_events_limit=500");
                source = response.Headers.TryGetValues("X-Context-Source", out var v) ? v.First() : "none";
                if (response.IsSuccessStatusCode)
                {
                    using var doc = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
                    var shown = doc.RootElement.GetProperty("recent_events").EnumerateArray()
                        .Select(e => e.GetProperty("raw_event_id").GetGuid()).ToHashSet();
                    missing = expected.Count(id => !shown.Contains(id));
                    good = missing == 0;
                }
                else
                {
                    Interlocked.Increment(ref _readFailures);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref _readFailures);
            }
            var ended = Now;
            lock (_gate)
            {
                _reads.Add((ended, stream, source, user.Id, good, missing));
                _slowestReadMs = Math.Max(_slowestReadMs, (ended - started) * 1000);
                if (good && badSince is { } since && (started - since) * 1000 > _longestBadMs)
                {
                    _longestBadMs = (started - since) * 1000;
                    _longestBadWhere = $"{user.Id} from {since:F1} s to {started:F1} s";
                    LongestStaleUser = (user.Id, since, started);
                }
            }
            badSince = good ? null : badSince ?? started;
            await Task.Delay(100);
        }
        if (badSince is { } open)
        {
            lock (_gate)
            {
                _longestBadMs = Math.Max(_longestBadMs, (Now - open) * 1000);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }
        _http.Dispose();
        _stop.Dispose();
    }

    /// <summary>One user's acknowledged events, in send order, with when each was acknowledged.</summary>
    public sealed class UserStream(string id, int stream)
    {
        private readonly List<Guid> _acked = [];
        private readonly List<double> _ackedAt = [];

        public string Id { get; } = id;

        /// <summary>The stream (sender and reader) that writes this user.</summary>
        public int Stream { get; } = stream;

        public int AckedCount { get { lock (_acked) { return _acked.Count; } } }

        public void Acked(Guid uuid, double at)
        {
            lock (_acked)
            {
                _acked.Add(uuid);
                _ackedAt.Add(at);
            }
        }

        public int AckedBetween(double from, double to)
        {
            lock (_acked)
            {
                return _ackedAt.Count(t => t >= from && t < to);
            }
        }

        public List<Guid> AckedSnapshot()
        {
            lock (_acked)
            {
                return [.. _acked];
            }
        }
    }
}
