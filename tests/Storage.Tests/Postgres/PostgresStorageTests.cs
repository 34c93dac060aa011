using Npgsql;
using SessionInsights.Domain.Storage;
using SessionInsights.Storage.Tests.Contract;
using Xunit.Abstractions;

namespace SessionInsights.Storage.Tests.Postgres;

/// <summary>The storage contract on PostgreSQL; needs scripts/with-postgres.sh (fails without it).</summary>
public sealed class PostgresStorageTests(PostgresDatabaseFixture database, ITestOutputHelper output)
    : StorageContractTests(output), IClassFixture<PostgresDatabaseFixture>
{
    protected override bool KeepsPropertiesText => false;

    protected override Task<string> CreateLocationAsync() => database.CreateSchemaAsync();

    protected override StorageBundle OpenAt(string location) => StorageFactory.CreatePostgres(location);

    protected override string MigrationsFolder => "Postgres";

    [Fact]
    public async Task Upgrading_to_the_derived_status_keeps_every_event_pending_done_or_failed_as_it_was()
    {
        // The schema and rows as the build before 0004_derived_status.sql left them.
        var location = await CreateLocationAsync();
        await using (var data = NpgsqlDataSource.Create(location))
        {
            await ExecuteAsync(data, "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            var assembly = typeof(StorageFactory).Assembly;
            foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Contains(".Postgres.Migrations.000", StringComparison.Ordinal)).Order())
            {
                var version = int.Parse(name.Split(".Postgres.Migrations.")[1][..4], System.Globalization.CultureInfo.InvariantCulture);
                if (version > 3)
                {
                    continue;
                }
                using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
                await ExecuteAsync(data, await reader.ReadToEndAsync());
                await ExecuteAsync(data, $"INSERT INTO schema_migrations (version, name) VALUES ({version}, 'as before')");
            }
            await ExecuteAsync(data, """
                INSERT INTO raw_event (raw_event_id, event_name, distinct_id, "timestamp", properties, status, failure_reason, processed_at) VALUES
                    ('00000000-0000-0000-0000-000000000001', '$pageview', 'old-user', now(), '{}', 'PENDING', NULL, NULL),
                    ('00000000-0000-0000-0000-000000000002', '$pageview', 'old-user', now(), '{}', 'DONE', NULL, now()),
                    ('00000000-0000-0000-0000-000000000003', '$pageview', 'old-user', now(), '{}', 'FAILED', 'ArgumentException: bad', now()),
                    ('00000000-0000-0000-0000-000000000004', '$pageview', 'old-user', now(), '{}', 'PENDING', NULL, NULL)
                """);
        }

        await using var storage = OpenAt(location);
        await storage.InitializeAsync();

        Assert.Equal(["00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000004"],
            (await storage.RawEvents.ReadPendingAsync(ProjectIds.Default, "old-user")).Select(e => e.Event.Uuid.ToString()));
        var failed = Assert.Single(await storage.RawEvents.ReadFailedAsync(null, 10));
        Assert.Equal(("00000000-0000-0000-0000-000000000003", "ArgumentException: bad", 1), (failed.Uuid.ToString(), failed.Reason, failed.Attempts));
        Assert.Equal(new RawEventCounts(2, 1, 1), await storage.RawEvents.CountAsync());
        await using (var data = NpgsqlDataSource.Create(location))
        await using (var command = data.CreateCommand("SELECT string_agg(status::text, ',' ORDER BY seq) FROM raw_event"))
        {
            Assert.Equal("PENDING,DONE,DEAD_LETTER,PENDING", await command.ExecuteScalarAsync());
        }

        // And the upgraded log goes on: the pending events applied, the failure retried and applied.
        await storage.GrainState.CommitAsync([TestData.Commit("old-user", 0, done: [Guid.Parse("00000000-0000-0000-0000-000000000001"), Guid.Parse("00000000-0000-0000-0000-000000000004")])]);
        Assert.Equal(new UserRef(ProjectIds.Default, "old-user"), await storage.RawEvents.RetryFailedAsync(Guid.Parse("00000000-0000-0000-0000-000000000003")));
        await storage.GrainState.CommitAsync([TestData.Commit("old-user", 1, done: [Guid.Parse("00000000-0000-0000-0000-000000000003")])]);
        Assert.Equal(new RawEventCounts(0, 4, 0), await storage.RawEvents.CountAsync());
    }

    [Fact]
    public async Task A_version_0_placeholder_row_left_by_an_older_build_counts_as_no_snapshot()
    {
        var user = TestData.NewUser();
        await using (var data = NpgsqlDataSource.Create(Location))
        {
            await ExecuteAsync(data, $"INSERT INTO grain_state (project_id, user_id, version, state) VALUES (1, '{user}', 0, ''::bytea)");
        }
        Assert.Null(await State.LoadUserAsync(ProjectIds.Default, user));
        Assert.Empty(await State.CommitAsync([TestData.Commit(user, 0, state: "first")]));
        var loaded = await State.LoadUserAsync(ProjectIds.Default, user);
        Assert.Equal((1L, "first"), (loaded!.Version, System.Text.Encoding.UTF8.GetString(loaded.State)));
        Assert.Equal([user], (await State.CommitAsync([TestData.Commit(user, 0, state: "a second incarnation")])).Ids());
    }

    [Fact]
    public async Task Large_snapshots_are_stored_lz4_compressed()
    {
        // 0010: pglz cost several times lz4's CPU on every snapshot update (docs/benchmarks.md).
        var user = TestData.NewUser();
        var large = string.Concat(Enumerable.Repeat("{\"code\":\"checkout_abandoned\",\"pos\":3},", 200));
        Assert.Empty(await State.CommitAsync([TestData.Commit(user, 0, state: large)]));
        await using var data = NpgsqlDataSource.Create(Location);
        await using var command = data.CreateCommand($"SELECT pg_column_compression(state) FROM grain_state WHERE user_id = '{user}'");
        Assert.Equal("lz4", await command.ExecuteScalarAsync());
        var loaded = await State.LoadUserAsync(ProjectIds.Default, user);
        Assert.Equal(large, System.Text.Encoding.UTF8.GetString(loaded!.State));
    }

    private static async Task ExecuteAsync(NpgsqlDataSource data, string sql)
    {
        await using var command = data.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task<IReadOnlyList<AppliedMigration>> AppliedMigrationsAsync(string location)
    {
        await using var data = NpgsqlDataSource.Create(location);
        await using var command = data.CreateCommand("SELECT version, name, applied_at::text FROM schema_migrations ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<AppliedMigration>();
        while (await reader.ReadAsync())
        {
            rows.Add(new AppliedMigration(reader.GetInt32(0), reader.GetString(1), reader.GetString(2)));
        }
        return rows;
    }
}
