using SessionInsights.Domain.Storage;
using Xunit.Abstractions;

namespace SessionInsights.Storage.Tests.Contract;

/// <summary>
/// The behaviour both backends must share, run once per backend by a subclass that says where a
/// fresh, empty store lives. Each test gets its own store, so tests can assert exact contents.
/// </summary>
public abstract partial class StorageContractTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<StorageBundle> _opened = [];

    protected ITestOutputHelper Output { get; } = output;

    /// <summary>Where this test's store lives (a connection string or a file path).</summary>
    protected string Location { get; private set; } = "";

    protected StorageBundle Storage { get; private set; } = null!;

    protected IRawEventLog Log => Storage.RawEvents;

    protected IGrainStateStore State => Storage.GrainState;

    /// <summary>Whether properties read back byte for byte (SQLite) or only as equal JSON (PostgreSQL jsonb).</summary>
    protected abstract bool KeepsPropertiesText { get; }

    /// <summary>Prepares an empty location for a store (a schema, a file path) and returns it.</summary>
    protected abstract Task<string> CreateLocationAsync();

    /// <summary>The folder of this backend's embedded migrations (<c>Postgres</c>, <c>Sqlite</c>).</summary>
    protected abstract string MigrationsFolder { get; }

    /// <summary>The rows of <c>schema_migrations</c> at <paramref name="location"/>, by version.</summary>
    protected abstract Task<IReadOnlyList<AppliedMigration>> AppliedMigrationsAsync(string location);

    /// <summary>Opens a store at <paramref name="location"/>, not yet initialized.</summary>
    protected abstract StorageBundle OpenAt(string location);

    protected StorageBundle Open(string location)
    {
        var bundle = OpenAt(location);
        _opened.Add(bundle);
        return bundle;
    }

    public async Task InitializeAsync()
    {
        Location = await CreateLocationAsync();
        Storage = Open(Location);
        await Storage.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var bundle in _opened)
        {
            await bundle.DisposeAsync();
        }
    }
}

/// <summary>One row of <c>schema_migrations</c>; <see cref="AppliedAt"/> as the database's own text, compared whole.</summary>
public sealed record AppliedMigration(long Version, string Name, string AppliedAt);
