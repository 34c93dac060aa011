using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Tests.Contract;

public abstract partial class StorageContractTests
{
    [Fact]
    public async Task Migrating_again_changes_nothing_and_keeps_the_data()
    {
        var user = TestData.NewUser();
        await Log.AppendAsync([TestData.Event(user)]);

        await Storage.InitializeAsync();
        var reopened = Open(Location);
        await reopened.InitializeAsync();

        Assert.Single(await reopened.RawEvents.ReadPendingAsync(user));
        Assert.Equal(new RawEventCounts(1, 0, 0), await reopened.RawEvents.CountAsync());
    }

    [Fact]
    public async Task Processes_starting_at_once_on_an_empty_store_migrate_it_once()
    {
        var location = await CreateLocationAsync();
        var stores = Enumerable.Range(0, 4).Select(_ => Open(location)).ToArray();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.InitializeAsync())));

        var user = TestData.NewUser();
        var appended = await stores[0].RawEvents.AppendAsync([TestData.Event(user)]);
        Assert.True(appended[0].Inserted);
        Assert.Single(await stores[3].RawEvents.ReadPendingAsync(user));
    }
}
