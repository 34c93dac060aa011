using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace SessionInsights.Cli.Load;

/// <summary>
/// Drives one run: <see cref="LoadOptions.Connections"/> writers post single events to
/// <c>/ingest</c> over as many connections, paced to <see cref="LoadOptions.Rate"/> or flat out,
/// while a reader reads random already-written users' contexts at a fixed rate and every Nth
/// acknowledged event gets a freshness probe.
/// </summary>
internal sealed class LoadRunner(LoadOptions options, TextWriter progress)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly TimeSpan FreshnessTimeout = TimeSpan.FromSeconds(10);

    private readonly TrafficGenerator _generator = new(options.Users, options.SessionsPerUser, options.Seed, options.UserPrefix);
    private readonly Lock _generatorLock = new();
    private readonly WrittenUsers _written = new(options.Users);
    private readonly LatencyRecorder _ack = new();
    private readonly ErrorCounter _ingestErrors = new();
    private readonly LatencyRecorder _reads = new();
    private readonly ErrorCounter _readErrors = new();
    private long _issued;
    private long _sent;
    private long _accepted;
    private long _duplicates;

    public async Task<LoadResult> RunAsync(CancellationToken ct)
    {
        using var writeHttp = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        })
        {
            BaseAddress = options.Url,
            Timeout = TimeSpan.FromSeconds(30),
        };
        using var contexts = new ContextClient(options.Url, options.ReadLimit);
        var probes = new FreshnessProbes(contexts, FreshnessTimeout);

        var selfCpuBefore = ProcessCpu.Self();
        var machineBefore = ProcessCpu.Machine();
        var serverCpuBefore = options.ServerPid is { } serverPid ? ProcessCpu.Of(serverPid) : null;
        var startedAt = DateTimeOffset.UtcNow;
        var start = Stopwatch.GetTimestamp();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(options.Duration);

        var reporter = ReportProgressAsync(start, stop.Token);
        var reader = ReadLoopAsync(contexts, start, stop.Token);
        var writers = Enumerable.Range(0, options.Connections)
            .Select(_ => Task.Run(() => WriteLoopAsync(writeHttp, probes, start, stop.Token), CancellationToken.None))
            .ToArray();
        await Task.WhenAll(writers);
        var writeElapsed = Stopwatch.GetElapsedTime(start);
        var selfCpu = ProcessCpu.Self() - selfCpuBefore;
        var machineBusy = machineBefore is var (busy0, total0) && ProcessCpu.Machine() is var (busy1, total1) && total1 > total0
            ? (double)(busy1 - busy0) / (total1 - total0)
            : (double?)null;
        var serverCpu = options.ServerPid is { } pid && ProcessCpu.Of(pid) is { } after && serverCpuBefore is { } before ? after - before : (TimeSpan?)null;
        await reader;
        await reporter;
        // Probes end on their own (found or timed out); Ctrl+C stops them too.
        await probes.DrainAsync();

        return new LoadResult
        {
            Machine = MachineInfo.Current(),
            Options = options,
            StartedAt = startedAt,
            WriteElapsed = writeElapsed,
            EventsSent = Interlocked.Read(ref _sent),
            EventsAccepted = Interlocked.Read(ref _accepted),
            Duplicates = Interlocked.Read(ref _duplicates),
            Ack = _ack.Summarize(),
            IngestErrors = _ingestErrors.Snapshot(),
            ContextReads = _reads.Summarize(),
            ReadErrors = _readErrors.Snapshot(),
            Freshness = probes.Freshness.Summarize(),
            FreshnessTimedOut = probes.TimedOut,
            FreshnessOnFirstRead = probes.FoundOnFirstRead,
            ProbeReads = probes.Reads.Summarize(),
            ProbeErrors = probes.Errors.Snapshot(),
            ServerMemory = options.ServerPid is { } memoryPid ? ServerMemory.Read(memoryPid) : null,
            LoadGeneratorCpu = selfCpu,
            ServerCpu = serverCpu,
            MachineBusy = machineBusy,
        };
    }

    private async Task WriteLoopAsync(HttpClient http, FreshnessProbes probes, long start, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var index = Interlocked.Increment(ref _issued) - 1;
            if (options.Rate > 0 && !await WaitForSlotAsync(index, start, stop))
            {
                return;
            }

            GeneratedEvent e;
            lock (_generatorLock)
            {
                e = _generator.Next(DateTimeOffset.UtcNow);
            }
            Interlocked.Increment(ref _sent);
            var sentAt = Stopwatch.GetTimestamp();
            try
            {
                // Not cancelled by the stop token: an event in flight at the end is waited for, not abandoned.
                using var content = new ByteArrayContent(e.Body);
                content.Headers.ContentType = Json;
                using var response = await http.PostAsync("/ingest", content, CancellationToken.None);
                var body = await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
                var ackedAt = Stopwatch.GetTimestamp();
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    _ingestErrors.Status(response.StatusCode);
                    continue;
                }
                _ack.Record(sentAt, ackedAt);
                Interlocked.Increment(ref _accepted);
                if (body.AsSpan().IndexOf("\"duplicate\":true"u8) >= 0)
                {
                    Interlocked.Increment(ref _duplicates);
                }
                _written.Add(e.UserIndex);
                if (options.FreshnessEvery > 0 && index % options.FreshnessEvery == 0)
                {
                    probes.Start(e.UserId, e.Uuid, ackedAt, CancellationToken.None);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                _ingestErrors.Exception(ex);
            }
        }
    }

    /// <summary>
    /// Event <paramref name="index"/> is due at start + index / rate: a fixed schedule, so a slow
    /// answer delays only the writer that waits for it, not the offered rate (while writers are free).
    /// </summary>
    private async Task<bool> WaitForSlotAsync(long index, long start, CancellationToken stop)
    {
        var due = TimeSpan.FromSeconds(index / options.Rate);
        if (due >= options.Duration)
        {
            return false;
        }
        var wait = due - Stopwatch.GetElapsedTime(start);
        if (wait > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(wait, stop);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
        return true;
    }

    private async Task ReadLoopAsync(ContextClient contexts, long start, CancellationToken stop)
    {
        if (options.ReadsPerSecond <= 0)
        {
            return;
        }
        var random = new Random(options.Seed ^ 0x5EED);
        var inFlight = new List<Task>();
        for (long n = 0; !stop.IsCancellationRequested; n++)
        {
            var wait = TimeSpan.FromSeconds(n / options.ReadsPerSecond) - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            if (_written.TryPick(random, out var user))
            {
                // Not awaited here: a slow read must not lower the read rate.
                inFlight.Add(contexts.ReadAsync(_generator.UserId(user), _reads, _readErrors, CancellationToken.None));
            }
        }
        await Task.WhenAll(inFlight);
    }

    private async Task ReportProgressAsync(long start, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        long last = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var accepted = Interlocked.Read(ref _accepted);
                progress.WriteLine($"  {Stopwatch.GetElapsedTime(start).TotalSeconds,5:F0} s  {(accepted - last) / 5.0,8:F0} events/s accepted  {_ingestErrors.Total} ingest errors");
                last = accepted;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
