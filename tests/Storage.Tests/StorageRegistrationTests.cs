using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Tests;

public sealed class StorageRegistrationTests
{
    [Fact]
    public async Task Without_a_postgres_connection_string_the_host_gets_a_migrated_sqlite_store()
    {
        var directory = Directory.CreateTempSubdirectory("session-insights-registration-");
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?>
                {
                    [StorageServiceCollectionExtensions.SqlitePathKey] = Path.Combine(directory.FullName, "data", "si.db"),
                })
                .Build();
            await using var services = new ServiceCollection().AddSessionInsightsStorage(configuration).BuildServiceProvider();

            foreach (var hosted in services.GetServices<IHostedService>())
            {
                await hosted.StartAsync(CancellationToken.None);
            }

            Assert.Equal(StorageBackend.Sqlite, services.GetRequiredService<StorageBundle>().Backend);
            var log = services.GetRequiredService<IRawEventLog>();
            Assert.True((await log.AppendAsync([TestData.Event(TestData.NewUser())]))[0].Inserted);
            Assert.Same(services.GetRequiredService<StorageBundle>().GrainState, services.GetRequiredService<IGrainStateStore>());
            Assert.True(File.Exists(Path.Combine(directory.FullName, "data", "si.db")));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_postgres_connection_string_selects_postgres()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Database=unused;Username=u;Password=p",
            })
            .Build();
        await using var services = new ServiceCollection().AddSessionInsightsStorage(configuration).BuildServiceProvider();

        // Building the bundle opens no connection; only InitializeAsync and the operations do.
        Assert.Equal(StorageBackend.Postgres, services.GetRequiredService<StorageBundle>().Backend);
    }
}
