using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace SessionInsights.Cli.Load;

/// <summary>
/// Drives one run: <see cref="LoadOptions.Connections"/> writers post single events to
/// <c>/ingest</c> over as many connections, paced to <see cref="LoadOptions.Rate"/> or flat out,
/// while a reader reads random already-written users' contexts at a fixed rate and every Nth
/// acknowledged event gets a freshness probe. An optional warm-up phase runs the same traffic
/// first and is not counted: it takes the JIT and the first grain activations out of the figures.
/// </summary>
internal sealed class LoadRunner(LoadOptions options, TextWriter progress)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly TimeSpan FreshnessTimeout = TimeSpan.FromSeconds(10);

    private readonly TrafficGenerator _generator = new(options.Users, options.SessionsPerUser, options.Seed, options.UserPrefix,
        eventsPerUser: options.EventsPerUser, activeUsers: options.ActiveUsers);
    private readonly Lock _generatorLock = new();
    private readonly WrittenUsers _written = new(options.Users);

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
        if (options.Key is { } key)
        {
            writeHttp.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }
        using var contexts = new ContextClient(options.Url, options.ReadLimit, options.Key);

        if (options.Warmup > TimeSpan.Zero)
        {
            progress.WriteLine($"  warm-up {options.Warmup.TotalSeconds:F0} s (not counted)");
            await RunPhaseAsync(writeHttp, contexts, options.Warmup, new PhaseStats(contexts, FreshnessTimeout), ct);
        }

        var stats = new PhaseStats(contexts, FreshnessTimeout);
        var grainsBefore = await ServerGrains.ReadAsync(writeHttp, ct);
        var memoryBefore = options.ServerPid is { } beforePid ? ServerMemory.Read(beforePid) : null;
        var selfCpuBefore = ProcessCpu.Self();
        var allBefore = ProcessCpu.AllProcesses();
        var serverCpuBefore = options.ServerPid is { } serverPid ? ProcessCpu.Of(serverPid) : null;
        var startedAt = DateTimeOffset.UtcNow;

        var writeElapsed = await RunPhaseAsync(writeHttp, contexts, options.Duration, stats, ct);

        var selfCpu = ProcessCpu.Self() - selfCpuBefore;
        var allAfter = ProcessCpu.AllProcesses();
        var allCpu = allBefore.Count > 0 ? ProcessCpu.Between(allBefore, allAfter) : (TimeSpan?)null;
        HashSet<int> known = [Environment.ProcessId, .. options.ServerPid is { } server ? [server] : Array.Empty<int>()];
        var others = ProcessCpu.BusiestOthers(allBefore, allAfter, known, top: 3);
        var serverCpu = options.ServerPid is { } pid && ProcessCpu.Of(pid) is { } after && serverCpuBefore is { } before ? after - before : (TimeSpan?)null;
        var memoryAfter = options.ServerPid is { } memoryPid ? ServerMemory.Read(memoryPid) : null;
        var grainsAfter = await ServerGrains.ReadAsync(writeHttp, CancellationToken.None);
        var grainMemory = grainsBefore is not null && grainsAfter is not null
            && memoryBefore?.ResidentBytes is { } rssBefore && memoryAfter?.ResidentBytes is { } rssAfter
            ? new GrainMemory(grainsBefore, grainsAfter, rssBefore, rssAfter)
            : null;

        return new LoadResult
        {
            Machine = MachineInfo.Current(),
            Options = options,
            StartedAt = startedAt,
            WriteElapsed = writeElapsed,
            EventsSent = stats.Sent,
            EventsAccepted = stats.Accepted,
            Duplicates = stats.Duplicates,
            Ack = stats.Ack.Summarize(),
            SendLag = stats.SendLag.Summarize(),
            IngestErrors = stats.IngestErrors.Snapshot(),
            ContextReads = stats.Reads.Summarize(),
            ReadErrors = stats.ReadErrors.Snapshot(),
            Freshness = stats.Probes.Freshness.Summarize(),
            FreshnessTimedOut = stats.Probes.TimedOut,
            FreshnessOnFirstRead = stats.Probes.FoundOnFirstRead,
            ProbeReads = stats.Probes.Reads.Summarize(),
            ProbeErrors = stats.Probes.Errors.Snapshot(),
            ServerMemory = memoryAfter,
            GrainMemory = grainMemory,
            LoadGeneratorCpu = selfCpu,
            ServerCpu = serverCpu,
            AllProcessesCpu = allCpu,
            OtherProcessesCpu = others,
        };
    }

    /// <summary>Writes and reads for <paramref name="duration"/>, then waits for the probes; returns the writing time.</summary>
    private async Task<TimeSpan> RunPhaseAsync(HttpClient writeHttp, ContextClient contexts, TimeSpan duration, PhaseStats stats, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(duration);

        var reporter = ReportProgressAsync(stats, start, stop.Token);
        var reader = ReadLoopAsync(contexts, stats, start, stop.Token);
        var writers = Enumerable.Range(0, options.Connections)
            .Select(_ => Task.Run(
                () => options.Mode == LoadMode.Batch
                    ? WriteBatchLoopAsync(writeHttp, stats, start, duration, stop.Token)
                    : WriteLoopAsync(writeHttp, stats, start, duration, stop.Token),
                CancellationToken.None))
            .ToArray();
        await Task.WhenAll(writers);
        var elapsed = Stopwatch.GetElapsedTime(start);
        // Writers also end when every user has sent its events (--events-per-user): so does the phase.
        await stop.CancelAsync();
        await reader;
        await reporter;
        // Probes end on their own (found or timed out).
        await stats.Probes.DrainAsync();
        return elapsed;
    }

    private async Task WriteLoopAsync(HttpClient http, PhaseStats stats, long start, TimeSpan duration, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var index = stats.NextIndex();
            if (options.Rate > 0)
            {
                if (!await WaitForSlotAsync(index, start, duration, stop))
                {
                    return;
                }
                var late = Stopwatch.GetElapsedTime(start) - TimeSpan.FromSeconds(index / options.Rate);
                stats.SendLag.RecordMilliseconds(Math.Max(0, late.TotalMilliseconds));
            }

            GeneratedEvent e;
            lock (_generatorLock)
            {
                if (_generator.Exhausted)
                {
                    return;
                }
                e = _generator.Next(DateTimeOffset.UtcNow);
            }
            stats.CountSent();
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
                    stats.IngestErrors.Status(response.StatusCode);
                    continue;
                }
                stats.Ack.Record(sentAt, ackedAt);
                stats.CountAccepted(duplicate: body.AsSpan().IndexOf("\"duplicate\":true"u8) >= 0);
                _written.Add(e.UserIndex);
                if (options.FreshnessEvery > 0 && index % options.FreshnessEvery == 0)
                {
                    stats.Probes.Start(e.UserId, e.Uuid, ackedAt, CancellationToken.None);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                stats.IngestErrors.Exception(ex);
            }
        }
    }

    /// <summary>
    /// Batch mode: each request carries <see cref="LoadOptions.BatchSize"/> events to <c>/batch</c>;
    /// with a rate, request <c>i</c> is due when its first event is (at start + i × size / rate).
    /// Ack latency is per request; a 200 accepts all its events (the gateway stores a batch whole or not at all).
    /// </summary>
    private async Task WriteBatchLoopAsync(HttpClient http, PhaseStats stats, long start, TimeSpan duration, CancellationToken stop)
    {
        var size = options.BatchSize;
        var batch = new List<GeneratedEvent>(size);
        while (!stop.IsCancellationRequested)
        {
            var request = stats.NextIndex();
            var first = request * size;
            if (options.Rate > 0)
            {
                if (!await WaitForSlotAsync(first, start, duration, stop))
                {
                    return;
                }
                var late = Stopwatch.GetElapsedTime(start) - TimeSpan.FromSeconds(first / options.Rate);
                stats.SendLag.RecordMilliseconds(Math.Max(0, late.TotalMilliseconds));
            }

            batch.Clear();
            var now = DateTimeOffset.UtcNow;
            lock (_generatorLock)
            {
                for (var i = 0; i < size && !_generator.Exhausted; i++)
                {
                    batch.Add(_generator.Next(now));
                }
            }
            if (batch.Count == 0)
            {
                return;
            }
            var body = BatchBodyWriter.Write(batch, now, options.Token);
            stats.CountSent(batch.Count);
            var sentAt = Stopwatch.GetTimestamp();
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = Json;
                using var response = await http.PostAsync("/batch", content, CancellationToken.None);
                await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
                var ackedAt = Stopwatch.GetTimestamp();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    stats.IngestErrors.Status(response.StatusCode);
                    continue;
                }
                stats.Ack.Record(sentAt, ackedAt);
                stats.CountAcceptedBatch(batch.Count);
                for (var i = 0; i < batch.Count; i++)
                {
                    _written.Add(batch[i].UserIndex);
                    if (options.FreshnessEvery > 0 && (first + i) % options.FreshnessEvery == 0)
                    {
                        stats.Probes.Start(batch[i].UserId, batch[i].Uuid, ackedAt, CancellationToken.None);
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                stats.IngestErrors.Exception(ex);
            }
        }
    }

    /// <summary>
    /// Event <paramref name="index"/> is due at start + index / rate: a fixed schedule, so a slow
    /// answer delays only the writer that waits for it, not the offered rate (while writers are free).
    /// </summary>
    private async Task<bool> WaitForSlotAsync(long index, long start, TimeSpan duration, CancellationToken stop)
    {
        var due = TimeSpan.FromSeconds(index / options.Rate);
        if (due >= duration)
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

    private async Task ReadLoopAsync(ContextClient contexts, PhaseStats stats, long start, CancellationToken stop)
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
                inFlight.Add(contexts.ReadAsync(_generator.UserId(user), stats.Reads, stats.ReadErrors, CancellationToken.None));
            }
        }
        await Task.WhenAll(inFlight);
    }

    private async Task ReportProgressAsync(PhaseStats stats, long start, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        long last = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var accepted = stats.Accepted;
                progress.WriteLine($"  {Stopwatch.GetElapsedTime(start).TotalSeconds,5:F0} s  {(accepted - last) / 5.0,8:F0} events/s accepted  {stats.IngestErrors.Total} ingest errors");
                last = accepted;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
