using System.Runtime.CompilerServices;
using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Sqlite;

/// <summary>
/// Streams a project's enriched events for a backtest from a reader connection (WAL: writers go on).
/// SQLite steps the statement row by row as the caller consumes it; the ordering is its sort.
/// </summary>
internal sealed class SqliteEnrichedEventScan(SqliteDatabase database) : IEnrichedEventScan
{
    private const string ScanSql = $"""
        SELECT {SqliteEnrichedEventRows.Columns} FROM enriched_event
        WHERE project_id = $project AND timestamp >= $from AND timestamp < $to AND session_id IS NOT NULL
        ORDER BY user_id, session_id, sequence_number
        """;

    public async IAsyncEnumerable<EnrichedEvent> ScanSessionEventsAsync(
        long projectId, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var connection = database.OpenReader();
        await using var command = connection.CreateCommand();
        command.CommandText = ScanSql;
        command.Parameters.AddWithValue("$project", projectId);
        command.Parameters.AddWithValue("$from", SqliteValues.Time(from));
        command.Parameters.AddWithValue("$to", SqliteValues.Time(to));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            yield return SqliteEnrichedEventRows.Read(reader);
        }
    }
}
