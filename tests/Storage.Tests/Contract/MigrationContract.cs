using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Tests.Contract;

public abstract partial class StorageContractTests
{
    [Fact]
    public async Task Migrating_again_changes_nothing_and_keeps_the_data()
    {
        var user = TestData.NewUser();
        await Log.AppendAsync([TestData.Event(user)]);
        var first = await AppliedMigrationsAsync(Location);

        await Storage.InitializeAsync();
        var reopened = Open(Location);
        await reopened.InitializeAsync();

        // Every shipped migration was applied by the first start, and no later start applied one again.
        Assert.Equal(ShippedMigrations, first.Select(m => (int)m.Version));
        Assert.Equal(first, await AppliedMigrationsAsync(Location));
        Assert.Single(await reopened.RawEvents.ReadPendingAsync(ProjectIds.Default, user));
        Assert.Equal(new RawEventCounts(1, 0, 0), await reopened.RawEvents.CountAsync());
    }

    [Fact]
    public async Task Processes_starting_at_once_on_an_empty_store_migrate_it_once()
    {
        var location = await CreateLocationAsync();
        var stores = Enumerable.Range(0, 4).Select(_ => Open(location)).ToArray();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.InitializeAsync())));

        // One row per shipped migration: each ran once, whichever process got there first.
        var applied = await AppliedMigrationsAsync(location);
        Assert.Equal(ShippedMigrations, applied.Select(m => (int)m.Version));
        var user = TestData.NewUser();
        var appended = await stores[0].RawEvents.AppendAsync([TestData.Event(user)]);
        Assert.True(appended[0].Inserted);
        Assert.Single(await stores[3].RawEvents.ReadPendingAsync(ProjectIds.Default, user));
        await stores[1].InitializeAsync();
        Assert.Equal(applied, await AppliedMigrationsAsync(location));
    }

    /// <summary>
    /// The versions of the migration scripts this backend's build embeds (<c>{Backend}/Migrations/NNNN_name.sql</c>),
    /// in order; numbers may leave gaps (branches take numbers apart and merge later).
    /// </summary>
    private List<int> ShippedMigrations
    {
        get
        {
            var prefix = $"SessionInsights.Storage.{MigrationsFolder}.Migrations.";
            var versions = typeof(StorageFactory).Assembly.GetManifestResourceNames()
                .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
                .Select(n => int.Parse(n.AsSpan(prefix.Length, 4), System.Globalization.CultureInfo.InvariantCulture))
                .Order()
                .ToList();
            Assert.True(versions.Count > 0, $"no migrations embedded under {prefix}");
            return versions;
        }
    }
}
