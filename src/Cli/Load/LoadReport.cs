using System.Globalization;
using System.Text.Json;

namespace SessionInsights.Cli.Load;

/// <summary>Prints a <see cref="LoadResult"/> as a table for people and as JSON for scripts; same figures in both.</summary>
internal static class LoadReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void WriteText(LoadResult r, TextWriter o)
    {
        var m = r.Machine;
        var p = r.Options;
        o.WriteLine();
        o.WriteLine(string.Create(Inv, $"Session Insights load test of {p.Url} at {r.StartedAt:yyyy-MM-dd HH:mm:ss}Z"));
        o.WriteLine(string.Create(Inv, $"machine      {m.Cores} cores ({m.Cpu}), {m.Os}, {m.Runtime}, {m.MemoryBytes / (1024.0 * 1024 * 1024):F1} GiB"));
        o.WriteLine(string.Create(Inv, $"parameters   users {p.Users}, sessions/user {p.SessionsPerUser}, connections {p.Connections}, rate {(p.Rate > 0 ? $"{p.Rate:F0}/s" : "max")}, duration {p.Duration.TotalSeconds:F0} s after {p.Warmup.TotalSeconds:F0} s warm-up,"));
        o.WriteLine(string.Create(Inv, $"             reads {p.ReadsPerSecond:F0}/s, freshness probe 1 in {p.FreshnessEvery}, recent_events_limit {p.ReadLimit}, seed {p.Seed}"));
        o.WriteLine();
        o.WriteLine(string.Create(Inv, $"mode         {(p.Mode == LoadMode.Batch ? $"POST /batch, {p.BatchSize} events per request (ack and errors are per request)" : "POST /ingest, one event per request")}"));
        o.WriteLine(string.Create(Inv, $"ingest       {r.EventsAccepted:N0} of {r.EventsSent:N0} events accepted in {r.WriteElapsed.TotalSeconds:F2} s = {r.AcceptedPerSecond:N0} events/s ({r.Duplicates} duplicates)"));
        o.WriteLine(r.ShareOfCopyLimit is { } share
            ? string.Create(Inv, $"copy limit   {share:P1} of the raw COPY limit ({p.CopyLimit:N0} rows/s, load --baseline-copy)")
            : "copy limit   not given (--copy-limit N from load --baseline-copy)");
        o.WriteLine();
        o.WriteLine($"{"latency (ms)",-22}{"count",9}{"p50",9}{"p95",9}{"p99",9}{"max",9}");
        Row(o, "ack (202)", r.Ack);
        if (p.Rate > 0)
        {
            Row(o, "send lag vs schedule", r.SendLag);
        }
        Row(o, "context read", r.ContextReads);
        Row(o, "freshness", r.Freshness);
        Row(o, "freshness probe reads", r.ProbeReads);
        if (p.Rate > 0)
        {
            o.WriteLine("send lag: how late events left against the fixed schedule (all writers busy); ack latency does not include it");
        }
        o.WriteLine(string.Create(Inv, $"freshness: from the 202 to the first context read listing the event (polled every {FreshnessProbes.PollInterval.TotalMilliseconds:F0} ms);"));
        o.WriteLine(string.Create(Inv, $"           {r.FreshnessOnFirstRead} of {r.Freshness.Count} seen on the first read, {r.FreshnessTimedOut} never seen within 10 s"));
        o.WriteLine();
        o.WriteLine($"errors       ingest: {Errors(r.IngestErrors)}");
        o.WriteLine($"             context reads: {Errors(r.ReadErrors)}");
        o.WriteLine($"             freshness probes: {Errors(r.ProbeErrors)}");
        var coreSeconds = m.Cores * r.WriteElapsed.TotalSeconds;
        o.WriteLine(string.Create(Inv, $"cpu          load generator {r.LoadGeneratorCpu.TotalSeconds:F1} s{(r.ServerCpu is { } sc ? $", server {sc.TotalSeconds:F1} s" : "")}{(r.AllProcessesCpu is { } all ? $", all processes {all.TotalSeconds:F1} s" : "")} of {coreSeconds:F1} core-seconds ({m.Cores} cores × {r.WriteElapsed.TotalSeconds:F1} s of writing)"));
        if (r.OtherProcessesCpu.Count > 0)
        {
            o.WriteLine(string.Create(Inv, $"             busiest other processes: {string.Join(", ", r.OtherProcessesCpu.Select(x => string.Create(Inv, $"{x.Name} {x.Cpu.TotalSeconds:F1} s")))}"));
        }
        if (p.ServerPid is { } pid)
        {
            o.WriteLine(r.ServerMemory is { } mem
                ? string.Create(Inv, $"server       pid {pid}: peak resident {Mib(mem.PeakResidentBytes)} (VmHWM), resident now {Mib(mem.ResidentBytes)}")
                : $"server       pid {pid}: /proc/{pid}/status not readable");
        }
        if (r.GrainMemory is { } g)
        {
            o.WriteLine(string.Create(Inv, $"grains       active users {g.Before.ActiveUsers:N0} → {g.After.ActiveUsers:N0}, active sessions {g.Before.ActiveSessions:N0} → {g.After.ActiveSessions:N0}; resident {Mib(g.ResidentBefore)} → {Mib(g.ResidentAfter)}"));
            o.WriteLine(string.Create(Inv, $"             per active user: {Kib(g.BytesPerActiveUser)} (resident / active users), {Kib(g.GrowthPerNewUser)} (resident growth / new active users)"));
        }
    }

    public static void WriteJson(LoadResult r, Stream output)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        var m = r.Machine;
        var p = r.Options;
        w.WriteStartObject();
        w.WriteString("started_at", r.StartedAt);
        w.WriteStartObject("machine");
        w.WriteNumber("cores", m.Cores);
        w.WriteString("cpu", m.Cpu);
        w.WriteString("os", m.Os);
        w.WriteString("runtime", m.Runtime);
        w.WriteNumber("memory_bytes", m.MemoryBytes);
        w.WriteEndObject();
        w.WriteStartObject("parameters");
        w.WriteString("url", p.Url.ToString());
        w.WriteNumber("users", p.Users);
        w.WriteNumber("sessions_per_user", p.SessionsPerUser);
        w.WriteNumber("connections", p.Connections);
        w.WriteNumber("rate", p.Rate);
        w.WriteNumber("duration_seconds", p.Duration.TotalSeconds);
        w.WriteNumber("warmup_seconds", p.Warmup.TotalSeconds);
        w.WriteNumber("reads_per_second", p.ReadsPerSecond);
        w.WriteNumber("freshness_every", p.FreshnessEvery);
        w.WriteNumber("recent_events_limit", p.ReadLimit);
        w.WriteNumber("seed", p.Seed);
        w.WriteString("mode", p.Mode == LoadMode.Batch ? "batch" : "ingest");
        w.WriteNumber("batch_size", p.Mode == LoadMode.Batch ? p.BatchSize : 1);
        NumberOrNull(w, "copy_limit_rows_per_second", p.CopyLimit ?? double.NaN);
        w.WriteEndObject();
        w.WriteStartObject("ingest");
        w.WriteNumber("sent", r.EventsSent);
        w.WriteNumber("accepted", r.EventsAccepted);
        w.WriteNumber("duplicates", r.Duplicates);
        w.WriteNumber("elapsed_seconds", Math.Round(r.WriteElapsed.TotalSeconds, 3));
        w.WriteNumber("accepted_per_second", Math.Round(r.AcceptedPerSecond, 1));
        NumberOrNull(w, "share_of_copy_limit", r.ShareOfCopyLimit ?? double.NaN);
        Latency(w, "ack_ms", r.Ack);
        Latency(w, "send_lag_ms", r.SendLag);
        ErrorsJson(w, r.IngestErrors);
        w.WriteEndObject();
        w.WriteStartObject("context_reads");
        Latency(w, "latency_ms", r.ContextReads);
        ErrorsJson(w, r.ReadErrors);
        w.WriteEndObject();
        w.WriteStartObject("freshness");
        Latency(w, "latency_ms", r.Freshness);
        w.WriteNumber("seen_on_first_read", r.FreshnessOnFirstRead);
        w.WriteNumber("timed_out", r.FreshnessTimedOut);
        Latency(w, "probe_reads_ms", r.ProbeReads);
        ErrorsJson(w, r.ProbeErrors);
        w.WriteEndObject();
        w.WriteStartObject("cpu_seconds");
        w.WriteNumber("load_generator", Math.Round(r.LoadGeneratorCpu.TotalSeconds, 2));
        NumberOrNull(w, "server", r.ServerCpu is { } serverCpu ? Math.Round(serverCpu.TotalSeconds, 2) : double.NaN);
        w.WriteNumber("available", Math.Round(m.Cores * r.WriteElapsed.TotalSeconds, 2));
        NumberOrNull(w, "all_processes", r.AllProcessesCpu is { } all ? Math.Round(all.TotalSeconds, 2) : double.NaN);
        w.WriteStartObject("busiest_other_processes");
        foreach (var (name, cpu) in r.OtherProcessesCpu)
        {
            w.WriteNumber(name, Math.Round(cpu.TotalSeconds, 2));
        }
        w.WriteEndObject();
        w.WriteEndObject();
        if (r.ServerMemory is { } mem)
        {
            w.WriteStartObject("server_memory");
            w.WriteNumber("pid", mem.Pid);
            NumberOrNull(w, "peak_resident_bytes", mem.PeakResidentBytes);
            NumberOrNull(w, "resident_bytes", mem.ResidentBytes);
            w.WriteEndObject();
        }
        if (r.GrainMemory is { } g)
        {
            w.WriteStartObject("grain_memory");
            w.WriteNumber("active_users_before", g.Before.ActiveUsers);
            w.WriteNumber("active_users_after", g.After.ActiveUsers);
            w.WriteNumber("active_sessions_before", g.Before.ActiveSessions);
            w.WriteNumber("active_sessions_after", g.After.ActiveSessions);
            w.WriteNumber("resident_bytes_before", g.ResidentBefore);
            w.WriteNumber("resident_bytes_after", g.ResidentAfter);
            NumberOrNull(w, "bytes_per_active_user", g.BytesPerActiveUser ?? double.NaN);
            NumberOrNull(w, "growth_bytes_per_new_user", g.GrowthPerNewUser ?? double.NaN);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void Row(TextWriter o, string name, LatencySummary s) =>
        o.WriteLine(string.Create(Inv, $"{name,-22}{s.Count,9}{Ms(s.P50),9}{Ms(s.P95),9}{Ms(s.P99),9}{Ms(s.Max),9}"));

    private static string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString(value < 10 ? "F2" : "F1", Inv);

    private static string Mib(long? bytes) => bytes is { } b ? string.Create(Inv, $"{b / (1024.0 * 1024):F1} MiB") : "?";

    private static string Kib(double? bytes) => bytes is { } b ? string.Create(Inv, $"{b / 1024:F1} KiB") : "-";

    private static string Errors(IReadOnlyDictionary<string, long> errors) =>
        errors.Count == 0 ? "none" : string.Join(", ", errors.Select(kv => $"{kv.Key} × {kv.Value}"));

    private static void Latency(Utf8JsonWriter w, string name, LatencySummary s)
    {
        w.WriteStartObject(name);
        w.WriteNumber("count", s.Count);
        NumberOrNull(w, "p50", s.P50);
        NumberOrNull(w, "p95", s.P95);
        NumberOrNull(w, "p99", s.P99);
        NumberOrNull(w, "max", s.Max);
        w.WriteEndObject();
    }

    private static void ErrorsJson(Utf8JsonWriter w, IReadOnlyDictionary<string, long> errors)
    {
        w.WriteStartObject("errors");
        foreach (var (kind, count) in errors)
        {
            w.WriteNumber(kind, count);
        }
        w.WriteEndObject();
    }

    private static void NumberOrNull(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsNaN(value))
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteNumber(name, Math.Round(value, 3));
        }
    }

    private static void NumberOrNull(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
