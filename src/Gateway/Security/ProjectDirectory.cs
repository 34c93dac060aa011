using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Security.Cryptography;
using SessionInsights.Domain.Projects;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Gateway.Security;

/// <summary>
/// The keys in force, held in memory so that no request waits for storage to be authenticated:
/// reloaded every <see cref="SecurityMode.RefreshEvery"/> (a revoked key stops working within it) and
/// when a credential is not found (a key just created works at once).
/// Capture tokens listed in <c>Capture:Tokens</c> belong to the default project.
/// </summary>
public sealed class ProjectDirectory(
    IProjectStore store, SecurityMode mode, IConfiguration config, TimeProvider time, ILogger<ProjectDirectory> log, DevProject? dev = null)
    : BackgroundService
{
    private static readonly TimeSpan MissReloadGap = TimeSpan.FromMilliseconds(100);

    /// <summary>Bounds the memory a stream of made-up credentials can take.</summary>
    private const int MaxUnknown = 10_000;
    private readonly FrozenDictionary<string, long> _configuredTokens = ConfiguredTokens(config);
    private readonly Lock _gate = new();
    private Task? _nextReload;
    private volatile Snapshot _keys = Snapshot.Empty;

    // Credentials a reload did not find, until the next periodic reload: an SDK sending an unknown
    // token (anonymous access) or a made-up key costs one reload, not one per request.
    private readonly ConcurrentDictionary<string, byte> _unknown = new(StringComparer.Ordinal);
    private long _lastMissReloadTicks;

    public bool AllowAnonymous => mode.AllowAnonymous;

    /// <summary>
    /// The project of a capture token. With anonymous access on, an unknown token is the default
    /// project's, unless <c>Capture:Tokens</c> lists tokens: a list means "these only".
    /// </summary>
    /// <returns>The project, and whether the token is one of its own (false: taken anonymously).</returns>
    public async ValueTask<(long Project, bool Known)?> CaptureProjectAsync(string token, CancellationToken ct)
    {
        if (Find(token) is { } known)
        {
            return (known, true);
        }
        // A long made-up token is remembered by its hash: the memory of unknown ones stays small.
        var remembered = token.Length <= 128 ? token : Convert.ToHexString(ProjectKeys.Hash(token));
        if (await FoundAfterReloadAsync("c:" + remembered, () => Find(token) is not null, ct).ConfigureAwait(false))
        {
            return (Find(token)!.Value, true);
        }
        return mode.AllowAnonymous && _configuredTokens.Count == 0 ? (ProjectIds.Default, false) : null;

        long? Find(string t) =>
            _keys.Capture.TryGetValue(t, out var p) ? p : _configuredTokens.TryGetValue(t, out var c) ? c : null;
    }

    /// <summary>The project and key id of a secret key, or null when no key in force matches it.</summary>
    public async ValueTask<(long ProjectId, long KeyId)?> SecretKeyAsync(string key, CancellationToken ct)
    {
        var hash = ProjectKeys.Hash(key);
        if (Find(hash) is { } known)
        {
            return known;
        }
        return await FoundAfterReloadAsync("s:" + Convert.ToHexString(hash), () => Find(hash) is not null, ct).ConfigureAwait(false) ? Find(hash) : null;

        // The lookup is by hash, so its timing says nothing about the key; the final comparison is
        // constant-time all the same.
        (long, long)? Find(byte[] h) =>
            _keys.Secret.TryGetValue(Convert.ToHexString(h), out var entry) && CryptographicOperations.FixedTimeEquals(entry.Hash, h)
                ? (entry.ProjectId, entry.KeyId)
                : null;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var keys = await ReloadAsync(cancellationToken).ConfigureAwait(false);
        if (dev is not null && await dev.EnsureAsync(keys, cancellationToken).ConfigureAwait(false))
        {
            await ReloadAsync(cancellationToken).ConfigureAwait(false);
        }
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
                    // A key created since may be one that was asked for and not found.
                    _unknown.Clear();
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

    /// <summary>
    /// For a credential not in memory: unless it was already not found since the last periodic
    /// reload, waits for a reload and looks again; remembers it when still not found.
    /// </summary>
    private async ValueTask<bool> FoundAfterReloadAsync(string credential, Func<bool> find, CancellationToken ct)
    {
        if (_unknown.ContainsKey(credential) || !await ReloadAfterMissAsync(ct).ConfigureAwait(false))
        {
            return false;
        }
        if (find())
        {
            return true;
        }
        if (_unknown.Count >= MaxUnknown)
        {
            _unknown.Clear();
        }
        _unknown.TryAdd(credential, 0);
        return false;
    }

    /// <summary>Reloads the keys in force from storage; returns them.</summary>
    private async Task<IReadOnlyList<ActiveKey>> ReloadAsync(CancellationToken ct)
    {
        var keys = await store.LoadActiveKeysAsync(ct).ConfigureAwait(false);
        _keys = new Snapshot(
            keys.Where(k => k.Kind == ProjectKeyKind.Capture && k.Token is not null).ToFrozenDictionary(k => k.Token!, k => k.ProjectId, StringComparer.Ordinal),
            keys.Where(k => k.Kind == ProjectKeyKind.Secret && k.SecretHash is not null).ToFrozenDictionary(k => Convert.ToHexString(k.SecretHash!), k => (k.SecretHash!, k.ProjectId, k.KeyId), StringComparer.Ordinal));
        return keys;
    }

    /// <summary>
    /// Waits for a reload that starts after this call, so that a key made before the request arrived
    /// is found. Misses share reloads, at most one per <see cref="MissReloadGap"/>: a flood of unknown
    /// keys costs storage ten small queries a second, not one per request. False when the reload failed.
    /// </summary>
    private async ValueTask<bool> ReloadAfterMissAsync(CancellationToken ct)
    {
        Task next;
        lock (_gate)
        {
            next = _nextReload ??= ScheduledReloadAsync();
        }
        try
        {
            await next.WaitAsync(ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            log.LogWarning(ex, "Reloading project keys failed");
            return false;
        }
    }

    private async Task ScheduledReloadAsync()
    {
        var wait = Interlocked.Read(ref _lastMissReloadTicks) + MissReloadGap.Ticks - time.GetUtcNow().UtcTicks;
        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromTicks(wait), time).ConfigureAwait(false);
        }
        else
        {
            await Task.Yield();
        }
        lock (_gate)
        {
            // Misses from now on need a reload that starts later than this one.
            _nextReload = null;
        }
        Interlocked.Exchange(ref _lastMissReloadTicks, time.GetUtcNow().UtcTicks);
        await ReloadAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static FrozenDictionary<string, long> ConfiguredTokens(IConfiguration config)
    {
        var section = config.GetSection("Capture:Tokens");
        var values = section.Value is { } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : section.GetChildren().Select(c => c.Value?.Trim()).OfType<string>().Where(v => v.Length > 0);
        return values.Distinct(StringComparer.Ordinal).ToFrozenDictionary(v => v, _ => ProjectIds.Default, StringComparer.Ordinal);
    }

    private sealed record Snapshot(FrozenDictionary<string, long> Capture, FrozenDictionary<string, (byte[] Hash, long ProjectId, long KeyId)> Secret)
    {
        public static readonly Snapshot Empty = new(FrozenDictionary<string, long>.Empty, FrozenDictionary<string, (byte[], long, long)>.Empty);
    }
}
