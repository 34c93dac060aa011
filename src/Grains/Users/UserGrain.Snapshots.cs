using SessionInsights.Domain.Users;

namespace SessionInsights.Grains.Users;

/// <summary>
/// When a commit carries the snapshot (<c>Grains:SnapshotInterval</c>): the activation's first commit
/// (it bumps the version, which fences any older activation), then once the interval has passed,
/// after a rules change, and at deactivation. The commits between write rows only; their raw events
/// stay PENDING ("held") until the next snapshot commit deletes them, so "snapshot + replay of
/// PENDING" still rebuilds the grain (docs/storage.md).
/// </summary>
public sealed partial class UserGrain
{
    /// <summary>When the last snapshot commit was drained; null until this activation's first.</summary>
    private DateTimeOffset? _lastSnapshotAt;

    /// <summary>The next commit carries the snapshot whatever the interval (rules changed, deactivation).</summary>
    private bool _snapshotWanted;

    /// <summary>When the snapshot commit in flight was drained.</summary>
    private DateTimeOffset? _snapshotInFlightAt;

    private bool SnapshotDue =>
        _snapshotWanted || _lastSnapshotAt is null || services.Settings.SnapshotInterval <= TimeSpan.Zero ||
        Now - _lastSnapshotAt.Value >= services.Settings.SnapshotInterval;

    /// <summary>How long until the held events' snapshot commit is due.</summary>
    private TimeSpan SnapshotDueIn =>
        SnapshotDue ? TimeSpan.Zero : _lastSnapshotAt!.Value + services.Settings.SnapshotInterval - Now;

    /// <summary>Drains the buffer into the next commit, with the snapshot when it is due.</summary>
    private void DrainCommit()
    {
        if (!SnapshotDue)
        {
            _inFlight = _buffer.Drain(ProjectId, UserId, expectedVersion: 0, state: null);
            return;
        }
        _replayed.Prune(Now);
        var snapshot = UserGrainState.Write(_activity.ToSnapshot(), _replayed);
        _inFlight = _buffer.Drain(ProjectId, UserId, expectedVersion: 0, snapshot);
        state.State.Snapshot = snapshot;
        _snapshotInFlightAt = Now;
        _snapshotWanted = false;
    }

    /// <summary>After a commit landed: a snapshot commit restarts the interval.</summary>
    private void Committed(bool withSnapshot)
    {
        if (withSnapshot)
        {
            _lastSnapshotAt = _snapshotInFlightAt;
        }
    }

    /// <summary>Forgets the snapshot clock (after an erasure: the next commit inserts the new person's snapshot).</summary>
    private void ForgetSnapshotClock()
    {
        _lastSnapshotAt = null;
        _snapshotInFlightAt = null;
    }
}
