using Microsoft.Extensions.Hosting;

namespace SessionInsights.Storage;

/// <summary>Applies the schema migrations when the host starts, before it serves anything.</summary>
internal sealed class StorageInitializer(StorageBundle storage) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => storage.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
