using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Sessions;
using SessionInsights.Domain.Storage;
using SessionInsights.Domain.Users;

namespace SessionInsights.Domain.Users;

/// <summary>What a user grain has applied since its last commit was handed to storage.</summary>
public sealed class CommitBuffer
{
    private readonly List<EnrichedEvent> _enriched = [];
    private readonly Dictionary<string, SessionRecord> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TrackedSession> _touched = new(StringComparer.Ordinal);
    private readonly List<Guid> _done = [];
    private readonly List<RawFailure> _failed = [];
    private readonly HashSet<Guid> _uuids = [];
    private readonly List<WebhookOutboxRow> _webhooks = [];

    // Committed without a snapshot: enriched rows stored, raw events still PENDING until the next
    // snapshot commit deletes their pending rows (docs/storage.md, "raw_event status").
    private readonly List<Guid> _held = [];
    private readonly HashSet<Guid> _heldSet = [];

    public bool IsEmpty => _done.Count == 0 && _failed.Count == 0 && _sessions.Count == 0 && _touched.Count == 0;

    /// <summary>Whether events committed without a snapshot wait for one (their raw rows are PENDING).</summary>
    public bool HasHeld => _held.Count > 0;

    /// <summary>How many events wait for a snapshot commit.</summary>
    public int HeldCount => _held.Count;

    public int EventCount => _done.Count + _failed.Count;

    /// <summary>Events applied but not yet handed to storage, in the order applied.</summary>
    public IReadOnlyList<EnrichedEvent> Uncommitted => _enriched;

    /// <summary>Session rows changed without an event (idle close, rules, confirmation) not yet handed to storage.</summary>
    public IEnumerable<SessionRecord> UncommittedSessions => _sessions.Values;

    /// <summary>
    /// Whether a raw event is applied here and still PENDING in storage: not yet handed to storage, or
    /// committed without a snapshot (held). A replay of the pending rows skips it.
    /// </summary>
    public bool Contains(Guid rawUuid) => _uuids.Contains(rawUuid) || _heldSet.Contains(rawUuid);

    public void Applied(Guid rawUuid, AppliedEvent applied)
    {
        _uuids.Add(rawUuid);
        _done.Add(rawUuid);
        _enriched.Add(applied.Event);
        // Rows are built once at drain time, from the session's state then.
        if (applied.Tracked is { } session)
        {
            _touched[session.SessionId] = session;
        }
    }

    /// <summary>An event whose processing threw: to retry later or a dead letter (<see cref="EventRetryPolicy"/>).</summary>
    public void Failed(RawFailure failure)
    {
        _uuids.Add(failure.Uuid);
        _failed.Add(failure);
    }

    /// <summary>Webhook outbox rows of patterns fired by events applied here: committed with those events.</summary>
    public void Fired(IReadOnlyList<WebhookOutboxRow> rows) => _webhooks.AddRange(rows);

    public void SessionChanged(SessionRecord row)
    {
        _touched.Remove(row.SessionId);
        _sessions[row.SessionId] = row;
    }

    /// <summary>
    /// Hands what is buffered to a commit. With a snapshot (<paramref name="state"/> not null) the
    /// commit deletes the pending rows of the events held since the last snapshot and of these; without,
    /// these events are held (PENDING in storage, their enriched rows written) until one.
    /// </summary>
    public UserCommit Drain(long projectId, string userId, long expectedVersion, byte[]? state)
    {
        foreach (var (id, session) in _touched)
        {
            _sessions[id] = session.ToRecord();
        }
        _touched.Clear();
        List<Guid> done;
        if (state is null)
        {
            _held.AddRange(_done);
            _heldSet.UnionWith(_done);
            done = [];
        }
        else
        {
            done = [.. _held, .. _done];
            _held.Clear();
            _heldSet.Clear();
        }
        var commit = new UserCommit(projectId, userId, expectedVersion, state, [.. _enriched], [.. _sessions.Values], done, [.. _failed])
        {
            Webhooks = [.. _webhooks],
            EventCount = _done.Count + _failed.Count,
        };
        _enriched.Clear();
        _sessions.Clear();
        _done.Clear();
        _failed.Clear();
        _uuids.Clear();
        _webhooks.Clear();
        return commit;
    }
}
