namespace SessionInsights.Storage.Tests.Postgres;

/// <summary>The PostgreSQL server the tests use: the one scripts/with-postgres.sh starts.</summary>
internal static class PostgresServer
{
    public const string EnvironmentVariable = "SESSIONINSIGHTS_TEST_POSTGRES";

    /// <summary>
    /// The admin connection string. Missing means the PostgreSQL half of the suite cannot run, and
    /// that must be a failure, never a silent skip.
    /// </summary>
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set, so the PostgreSQL storage tests cannot run. " +
                "Run the tests through the script that starts a throwaway server, e.g.: " +
                "bash scripts/with-postgres.sh dotnet test tests/Storage.Tests");
}
