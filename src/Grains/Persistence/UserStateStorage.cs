using System.Globalization;
using Orleans.Runtime;
using Orleans.Storage;
using SessionInsights.Domain.Persistence;
using SessionInsights.Domain.Storage;
using SessionInsights.Grains.Abstractions;

namespace SessionInsights.Grains.Persistence;

/// <summary>
/// Orleans grain storage over the project's own tables (PostgreSQL or SQLite) rather than
/// Orleans.Persistence.AdoNet: a user's snapshot must commit in the same transaction as its enriched
/// rows, session rows and the DONE/FAILED status of the raw events it applied, and commits of many
/// grains share one transaction (group commit). The ETag is the snapshot's version; a write whose
/// version is stale (another activation wrote since) is refused whole with
/// <see cref="InconsistentStateException"/>, the way Orleans' own providers report it.
/// </summary>
/// <param name="recentLimit">How many of the user's latest stored events an activation loads with the snapshot.</param>
public sealed class UserStateStorage(GrainStateWriter writer, int recentLimit) : IGrainStorage
{
    public const string Name = "users";

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (projectId, userId) = GrainKeys.Of(grainId);
        var activation = await writer.Store.LoadUserActivationAsync(projectId, userId, recentLimit).ConfigureAwait(false);
        var snapshot = activation.Snapshot;
        var state = State(grainState);
        state.Snapshot = snapshot?.State;
        state.Commit = null;
        state.Activation = activation;
        grainState.ETag = snapshot is null ? null : snapshot.Version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = snapshot is not null;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var state = State(grainState);
        var version = grainState.ETag is { } etag ? long.Parse(etag, CultureInfo.InvariantCulture) : 0;
        var pending = state.Commit ?? throw new InvalidOperationException("a user state write needs its commit");
        // A commit without a snapshot (Grains:SnapshotInterval) is checked at this version and leaves it.
        var withSnapshot = pending.State is not null;
        var commit = pending with { ExpectedVersion = version, State = withSnapshot ? state.Snapshot ?? [] : null };
        using var span = Hosting.Tracing.Source.StartActivity("grain.commit");
        span?.SetTag("si.project", commit.ProjectId);
        span?.SetTag("si.user", commit.UserId);
        span?.SetTag("si.events", commit.EventCount);
        span?.SetTag("si.snapshot", withSnapshot);
        var outcome = await writer.CommitAsync(commit).ConfigureAwait(false);
        if (outcome == CommitOutcome.StaleVersion)
        {
            throw new InconsistentStateException($"user {commit.UserId}: stored version is not {version}", "?", grainState.ETag ?? "0");
        }
        if (withSnapshot)
        {
            grainState.ETag = (version + 1).ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
    }

    /// <summary>
    /// After an erasure: the rows are already gone (<see cref="IGrainStateStore.EraseUserAsync"/>, which
    /// the grain calls first, with who asked and in one transaction with the rest of the person's
    /// rows); clearing forgets the version, so the next commit inserts the new person's snapshot.
    /// </summary>
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var state = State(grainState);
        state.Snapshot = null;
        state.Commit = null;
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private static UserState State<T>(IGrainState<T> grainState)
    {
        if (grainState.State is null)
        {
            grainState.State = (T)(object)new UserState();
        }
        return grainState.State as UserState ?? throw new InvalidOperationException($"{nameof(UserStateStorage)} stores {nameof(UserState)} only");
    }
}
