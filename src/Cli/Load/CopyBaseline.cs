using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace SessionInsights.Cli.Load;

/// <summary>
/// The raw limit of the write path on this machine and database: binary COPY of raw_event-shaped
/// rows (the load traffic's own events: name, distinct_id, timestamp, session id, properties JSON,
/// elements chain) into a scratch table with raw_event's columns, defaults and indexes, with no
/// service, no HTTP and no grains in between. Every row is durable when its COPY returns (its own
/// transaction, fsync on commit as configured), like a 202 from the gateway.
/// </summary>
internal sealed class CopyBaseline(LoadOptions options, TextWriter progress)
{
    private const string Table = "copy_baseline_raw_event";

    // raw_event's shape (see src/Storage/Postgres/Migrations), with status as text so that the
    // baseline needs no migrated database; the indexes are raw_event's, as each one costs per row.
    private static readonly string[] Setup =
    [
        $"DROP TABLE IF EXISTS {Table}",
        $"""
        CREATE TABLE {Table} (
            seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            raw_event_id   uuid        NOT NULL UNIQUE,
            event_name     text        NOT NULL CHECK (event_name <> ''),
            distinct_id    text        NOT NULL CHECK (distinct_id <> ''),
            "timestamp"    timestamptz NOT NULL,
            session_id     text,
            properties     json        NOT NULL,
            elements_chain text,
            received_at    timestamptz NOT NULL DEFAULT now(),
            status         text        NOT NULL DEFAULT 'PENDING',
            failure_reason text,
            processed_at   timestamptz
        )
        """,
        $"CREATE INDEX ON {Table} (distinct_id, \"timestamp\")",
        $"CREATE INDEX ON {Table} (distinct_id, seq) WHERE status = 'PENDING'",
        $"CREATE INDEX ON {Table} (received_at) WHERE status = 'PENDING'",
        $"CREATE INDEX ON {Table} (seq) WHERE status = 'FAILED'",
    ];

    private const string CopySql = $"""
        COPY {Table} (raw_event_id, event_name, distinct_id, "timestamp", session_id, properties, elements_chain)
        FROM STDIN (FORMAT BINARY)
        """;

    private sealed record Row(string Name, string DistinctId, string? SessionId, string Properties, string? ElementsChain);

    public async Task<CopyBaselineResult> RunAsync(CancellationToken ct)
    {
        // Rows are made before the clock starts: the generator's cost is not the database's.
        var rows = MakeRows(Math.Max(options.RowsPerCopy, 20_000));
        await using var dataSource = NpgsqlDataSource.Create(options.Postgres!);
        foreach (var sql in Setup)
        {
            await using var command = dataSource.CreateCommand(sql);
            await command.ExecuteNonQueryAsync(ct);
        }
        try
        {
            var copies = new LatencyRecorder();
            long copied = 0;
            var start = Stopwatch.GetTimestamp();
            var until = start + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
            var loops = Enumerable.Range(0, options.Connections).Select(c => Task.Run(async () =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                var offset = c * options.RowsPerCopy;
                while (Stopwatch.GetTimestamp() < until && !ct.IsCancellationRequested)
                {
                    var began = Stopwatch.GetTimestamp();
                    await CopyAsync(connection, rows, offset, ct);
                    copies.Record(began, Stopwatch.GetTimestamp());
                    Interlocked.Add(ref copied, options.RowsPerCopy);
                    offset += options.RowsPerCopy;
                }
            }, ct)).ToArray();
            await Task.WhenAll(loops);
            var elapsed = Stopwatch.GetElapsedTime(start);
            return new CopyBaselineResult(MachineInfo.Current(), options, DateTimeOffset.UtcNow, copied, elapsed, copies.Summarize());
        }
        finally
        {
            await using var drop = dataSource.CreateCommand($"DROP TABLE IF EXISTS {Table}");
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private async Task CopyAsync(NpgsqlConnection connection, Row[] rows, int offset, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        await using var importer = await connection.BeginBinaryImportAsync(CopySql, ct);
        for (var i = 0; i < options.RowsPerCopy; i++)
        {
            var r = rows[(offset + i) % rows.Length];
            await importer.StartRowAsync(ct);
            // A fresh uuid per row, as every event has its own: the unique index sees no repeats.
            await importer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, ct);
            await importer.WriteAsync(r.Name, NpgsqlDbType.Text, ct);
            await importer.WriteAsync(r.DistinctId, NpgsqlDbType.Text, ct);
            await importer.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
            await importer.WriteAsync(r.SessionId, NpgsqlDbType.Text, ct);
            await importer.WriteAsync(r.Properties, NpgsqlDbType.Json, ct);
            await importer.WriteAsync(r.ElementsChain, NpgsqlDbType.Text, ct);
        }
        await importer.CompleteAsync(ct);
    }

    private Row[] MakeRows(int count)
    {
        progress.WriteLine($"  generating {count:N0} rows from the load traffic ({options.Users} users, seed {options.Seed})");
        var generator = new TrafficGenerator(options.Users, options.SessionsPerUser, options.Seed, options.UserPrefix);
        var rows = new Row[count];
        for (var i = 0; i < count; i++)
        {
            var e = generator.Next(DateTimeOffset.UtcNow);
            using var doc = JsonDocument.Parse(e.EventJson);
            var root = doc.RootElement;
            var chain = root.GetProperty("elements_chain"u8).GetString();
            rows[i] = new Row(e.Name, e.UserId, e.SessionId, root.GetProperty("properties"u8).GetRawText(), string.IsNullOrEmpty(chain) ? null : chain);
        }
        return rows;
    }
}

/// <summary>What <c>load --baseline-copy</c> measured.</summary>
internal sealed record CopyBaselineResult(MachineInfo Machine, LoadOptions Options, DateTimeOffset FinishedAt, long Rows, TimeSpan Elapsed, LatencySummary Copy)
{
    public double RowsPerSecond => Elapsed > TimeSpan.Zero ? Rows / Elapsed.TotalSeconds : 0;

    public void WriteText(TextWriter o)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var m = Machine;
        o.WriteLine();
        o.WriteLine(string.Create(inv, $"Session Insights COPY baseline at {FinishedAt:yyyy-MM-dd HH:mm:ss}Z: no service, binary COPY straight into a raw_event-shaped table"));
        o.WriteLine(string.Create(inv, $"machine      {m.Cores} cores ({m.Cpu}), {m.Os}, {m.Runtime}, {m.MemoryBytes / (1024.0 * 1024 * 1024):F1} GiB"));
        o.WriteLine(string.Create(inv, $"parameters   {Options.Connections} connections, {Options.RowsPerCopy} rows per COPY (one transaction each), {Options.Duration.TotalSeconds:F0} s"));
        o.WriteLine(string.Create(inv, $"copy limit   {Rows:N0} rows in {Elapsed.TotalSeconds:F2} s = {RowsPerSecond:N0} rows/s"));
        o.WriteLine(string.Create(inv, $"per COPY     p50 {Copy.P50:F1} ms, p99 {Copy.P99:F1} ms, max {Copy.Max:F1} ms ({Copy.Count} copies)"));
    }

    public void WriteJson(Stream output)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("finished_at", FinishedAt);
        w.WriteNumber("cores", Machine.Cores);
        w.WriteString("cpu", Machine.Cpu);
        w.WriteNumber("connections", Options.Connections);
        w.WriteNumber("rows_per_copy", Options.RowsPerCopy);
        w.WriteNumber("rows", Rows);
        w.WriteNumber("elapsed_seconds", Math.Round(Elapsed.TotalSeconds, 3));
        w.WriteNumber("rows_per_second", Math.Round(RowsPerSecond, 1));
        w.WriteNumber("copy_p50_ms", Math.Round(Copy.P50, 3));
        w.WriteNumber("copy_p99_ms", Math.Round(Copy.P99, 3));
        w.WriteEndObject();
    }
}
