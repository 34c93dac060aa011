using System.Collections.Frozen;
using System.Security.Cryptography;
using SessionInsights.Domain.Projects;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Gateway.Security;

/// <summary>
/// The keys in force, held in memory so that no request waits for storage to be authenticated:
/// reloaded every <see cref="SecurityMode.RefreshEvery"/> (a revoked key stops working within it) and
/// at most once a second when a credential is not found (a key just created works at once).
/// Capture tokens listed in <c>Capture:Tokens</c> belong to the default project.
/// </summary>
public sealed class ProjectDirectory(
    IProjectStore store, SecurityMode mode, IConfiguration config, TimeProvider time, ILogger<ProjectDirectory> log, DevProject? dev = null)
    : BackgroundService
{
    private static readonly TimeSpan MissReloadGap = TimeSpan.FromSeconds(1);
    private readonly FrozenDictionary<string, long> _configuredTokens = ConfiguredTokens(config);
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile Snapshot _keys = Snapshot.Empty;
    private long _lastReloadTicks;

    public bool AllowAnonymous => mode.AllowAnonymous;

    /// <summary>The project of a capture token; with anonymous access on, an unknown token is the default project's.</summary>
    public async ValueTask<long?> CaptureProjectAsync(string token, CancellationToken ct)
    {
        if (Find(token) is { } known)
        {
            return known;
        }
        if (await ReloadAfterMissAsync(ct).ConfigureAwait(false) && Find(token) is { } added)
        {
            return added;
        }
        return mode.AllowAnonymous ? ProjectIds.Default : null;

        long? Find(string t) =>
            _keys.Capture.TryGetValue(t, out var p) ? p : _configuredTokens.TryGetValue(t, out var c) ? c : null;
    }

    /// <summary>The project of a secret key, or null when no key in force matches it.</summary>
    public async ValueTask<long?> SecretProjectAsync(string key, CancellationToken ct)
    {
        var hash = ProjectKeys.Hash(key);
        if (Find(hash) is { } known)
        {
            return known;
        }
        return await ReloadAfterMissAsync(ct).ConfigureAwait(false) ? Find(hash) : null;

        // The lookup is by hash, so its timing says nothing about the key; the final comparison is
        // constant-time all the same.
        long? Find(byte[] h) =>
            _keys.Secret.TryGetValue(Convert.ToHexString(h), out var entry) && CryptographicOperations.FixedTimeEquals(entry.Hash, h)
                ? entry.ProjectId
                : null;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (dev is not null)
        {
            await dev.EnsureAsync(cancellationToken).ConfigureAwait(false);
        }
        await ReloadAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(mode.RefreshEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await ReloadAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Keep the keys we have: storage being away must not lock everyone out.
                    log.LogWarning(ex, "Reloading project keys failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reloads at once (after a key was created or revoked here).</summary>
    public async Task ReloadAsync(CancellationToken ct)
    {
        var keys = await store.LoadActiveKeysAsync(ct).ConfigureAwait(false);
        _keys = new Snapshot(
            keys.Where(k => k.Kind == ProjectKeyKind.Capture && k.Token is not null).ToFrozenDictionary(k => k.Token!, k => k.ProjectId, StringComparer.Ordinal),
            keys.Where(k => k.Kind == ProjectKeyKind.Secret && k.SecretHash is not null).ToFrozenDictionary(k => Convert.ToHexString(k.SecretHash!), k => (k.SecretHash!, k.ProjectId), StringComparer.Ordinal));
        Interlocked.Exchange(ref _lastReloadTicks, time.GetUtcNow().UtcTicks);
    }

    /// <summary>Reloads unless a reload happened within the last second; true when it reloaded.</summary>
    private async ValueTask<bool> ReloadAfterMissAsync(CancellationToken ct)
    {
        if (time.GetUtcNow().UtcTicks - Interlocked.Read(ref _lastReloadTicks) < MissReloadGap.Ticks || !await _reload.WaitAsync(0, ct).ConfigureAwait(false))
        {
            return false;
        }
        try
        {
            await ReloadAsync(ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            log.LogWarning(ex, "Reloading project keys failed");
            return false;
        }
        finally
        {
            _reload.Release();
        }
    }

    private static FrozenDictionary<string, long> ConfiguredTokens(IConfiguration config)
    {
        var section = config.GetSection("Capture:Tokens");
        var values = section.Value is { } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : section.GetChildren().Select(c => c.Value?.Trim()).OfType<string>().Where(v => v.Length > 0);
        return values.Distinct(StringComparer.Ordinal).ToFrozenDictionary(v => v, _ => ProjectIds.Default, StringComparer.Ordinal);
    }

    private sealed record Snapshot(FrozenDictionary<string, long> Capture, FrozenDictionary<string, (byte[] Hash, long ProjectId)> Secret)
    {
        public static readonly Snapshot Empty = new(FrozenDictionary<string, long>.Empty, FrozenDictionary<string, (byte[], long)>.Empty);
    }
}
