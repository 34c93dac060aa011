using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage;

/// <summary>
/// Decides, from the stored snapshot versions, which commits of a <c>CommitAsync</c> call are
/// written, and flattens the accepted ones into per-table row lists. Commits are taken in list
/// order, so two commits of one user in the same call (versions v and v+1) both apply.
/// </summary>
internal sealed class CommitPlan
{
    private CommitPlan(
        IReadOnlyList<string> staleUserIds,
        IReadOnlyList<UserSnapshot> snapshots,
        IReadOnlyList<EnrichedEvent> enriched,
        IReadOnlyList<SessionRecord> sessions,
        IReadOnlyList<Guid> done,
        IReadOnlyList<RawFailure> failed)
    {
        StaleUserIds = staleUserIds;
        Snapshots = snapshots;
        Enriched = enriched;
        Sessions = sessions;
        Done = done;
        Failed = failed;
    }

    public IReadOnlyList<string> StaleUserIds { get; }

    /// <summary>One row per accepted user: the last accepted state at its final version.</summary>
    public IReadOnlyList<UserSnapshot> Snapshots { get; }

    public IReadOnlyList<EnrichedEvent> Enriched { get; }

    /// <summary>One row per session id (a later commit's row wins), as upserts must not touch a row twice.</summary>
    public IReadOnlyList<SessionRecord> Sessions { get; }

    public IReadOnlyList<Guid> Done { get; }

    public IReadOnlyList<RawFailure> Failed { get; }

    public bool IsEmpty => Snapshots.Count == 0;

    public static string[] DistinctUserIds(IReadOnlyList<UserCommit> commits)
    {
        var users = new HashSet<string>(StringComparer.Ordinal);
        foreach (var commit in commits)
        {
            users.Add(commit.UserId);
        }
        var sorted = users.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return sorted;
    }

    /// <param name="storedVersions">Each listed user's current version; a user missing here is at version 0.</param>
    public static CommitPlan Create(IReadOnlyList<UserCommit> commits, IReadOnlyDictionary<string, long> storedVersions)
    {
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        var snapshots = new Dictionary<string, UserSnapshot>(StringComparer.Ordinal);
        var stale = new List<string>();
        var enriched = new List<EnrichedEvent>();
        var sessions = new Dictionary<string, SessionRecord>(StringComparer.Ordinal);
        var done = new List<Guid>();
        var failed = new List<RawFailure>();

        foreach (var commit in commits)
        {
            if (!versions.TryGetValue(commit.UserId, out var current))
            {
                current = storedVersions.GetValueOrDefault(commit.UserId);
            }
            if (commit.ExpectedVersion != current)
            {
                if (!stale.Contains(commit.UserId, StringComparer.Ordinal))
                {
                    stale.Add(commit.UserId);
                }
                continue;
            }

            var next = commit.ExpectedVersion + 1;
            versions[commit.UserId] = next;
            snapshots[commit.UserId] = new UserSnapshot(commit.UserId, next, commit.State);
            enriched.AddRange(commit.Enriched);
            foreach (var session in commit.Sessions)
            {
                sessions[session.SessionId] = session;
            }
            done.AddRange(commit.Done);
            failed.AddRange(commit.Failed);
        }

        return new CommitPlan(stale, [.. snapshots.Values], enriched, [.. sessions.Values], done, failed);
    }
}
