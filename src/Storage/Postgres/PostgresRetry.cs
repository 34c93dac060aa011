using Npgsql;

namespace SessionInsights.Storage.Postgres;

/// <summary>
/// Re-runs a whole transaction that PostgreSQL aborted as a deadlock victim or serialization
/// failure. Both write paths are idempotent, so a retry is always safe. Deadlocks are possible
/// because append batches must insert in arrival order (seq follows it), so two concurrent batches
/// sharing uuids may take their unique-index locks in opposite orders.
/// </summary>
internal static class PostgresRetry
{
    private const int MaxAttempts = 5;

    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> transaction, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await transaction(ct).ConfigureAwait(false);
            }
            catch (PostgresException e) when (attempt < MaxAttempts && IsTransient(e))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * attempt)), ct).ConfigureAwait(false);
            }
        }
    }

    private static bool IsTransient(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;
}
