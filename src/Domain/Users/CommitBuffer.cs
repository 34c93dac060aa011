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

    public bool IsEmpty => _done.Count == 0 && _failed.Count == 0 && _sessions.Count == 0 && _touched.Count == 0;

    public int EventCount => _done.Count + _failed.Count;

    /// <summary>Events applied but not yet handed to storage, in the order applied.</summary>
    public IReadOnlyList<EnrichedEvent> Uncommitted => _enriched;

    /// <summary>Session rows changed without an event (idle close, rules, confirmation) not yet handed to storage.</summary>
    public IEnumerable<SessionRecord> UncommittedSessions => _sessions.Values;

    /// <summary>Whether a raw event is applied here but not yet handed to storage (still PENDING there).</summary>
    public bool Contains(Guid rawUuid) => _uuids.Contains(rawUuid);

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

    public UserCommit Drain(long projectId, string userId, long expectedVersion, byte[] state)
    {
        foreach (var (id, session) in _touched)
        {
            _sessions[id] = session.ToRecord();
        }
        _touched.Clear();
        var commit = new UserCommit(projectId, userId, expectedVersion, state, [.. _enriched], [.. _sessions.Values], [.. _done], [.. _failed])
        {
            Webhooks = [.. _webhooks],
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
