using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Projects;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage;

/// <summary>
/// Decides, from the stored snapshot versions, which commits of a <c>CommitAsync</c> call are
/// written, and flattens the accepted ones into per-table row lists. Commits are taken in list
/// order, so two commits of one user in the same call (versions v and v+1) both apply. A commit
/// without a snapshot is checked the same way but leaves the version (v, then v again).
/// </summary>
internal sealed class CommitPlan
{
    private CommitPlan(
        IReadOnlyList<UserRef> staleUsers,
        IReadOnlyList<UserSnapshot> snapshots,
        IReadOnlyList<InProject<EnrichedEvent>> enriched,
        IReadOnlyList<InProject<SessionRecord>> sessions,
        IReadOnlyList<Guid> done,
        IReadOnlyList<RawFailure> failed,
        IReadOnlyList<WebhookOutboxRow> webhooks,
        int accepted)
    {
        Accepted = accepted;
        StaleUsers = staleUsers;
        Snapshots = snapshots;
        Enriched = enriched;
        Sessions = sessions;
        Done = done;
        Failed = failed;
        Webhooks = webhooks;
    }

    public IReadOnlyList<UserRef> StaleUsers { get; }

    /// <summary>One row per accepted user: the last accepted state at its final version.</summary>
    public IReadOnlyList<UserSnapshot> Snapshots { get; }

    public IReadOnlyList<InProject<EnrichedEvent>> Enriched { get; }

    /// <summary>One row per project and session id (a later commit's row wins), as upserts must not touch a row twice.</summary>
    public IReadOnlyList<InProject<SessionRecord>> Sessions { get; }

    public IReadOnlyList<Guid> Done { get; }

    public IReadOnlyList<RawFailure> Failed { get; }

    /// <summary>Outbox rows of the accepted commits; a row whose id and endpoint are stored already is skipped by the insert.</summary>
    public IReadOnlyList<WebhookOutboxRow> Webhooks { get; }

    /// <summary>How many commits are written (with or without a snapshot).</summary>
    public int Accepted { get; }

    public bool IsEmpty => Accepted == 0;

    /// <param name="storedVersions">Each listed user's current version; a user missing here is at version 0.</param>
    public static CommitPlan Create(IReadOnlyList<UserCommit> commits, IReadOnlyDictionary<UserRef, long> storedVersions)
    {
        var versions = new Dictionary<UserRef, long>();
        var snapshots = new Dictionary<UserRef, UserSnapshot>();
        var stale = new List<UserRef>();
        var enriched = new List<InProject<EnrichedEvent>>();
        var sessions = new Dictionary<(long, string), InProject<SessionRecord>>();
        var done = new List<Guid>();
        var failed = new List<RawFailure>();
        var webhooks = new List<WebhookOutboxRow>();
        var accepted = 0;

        foreach (var commit in commits)
        {
            var user = new UserRef(commit.ProjectId, commit.UserId);
            if (!versions.TryGetValue(user, out var current))
            {
                current = storedVersions.GetValueOrDefault(user);
            }
            // Without a snapshot there is nothing to insert for a user storage has never seen.
            if (commit.ExpectedVersion != current || (commit.State is null && current == 0))
            {
                if (!stale.Contains(user))
                {
                    stale.Add(user);
                }
                continue;
            }

            accepted++;
            if (commit.State is { } state)
            {
                var next = commit.ExpectedVersion + 1;
                versions[user] = next;
                snapshots[user] = new UserSnapshot(commit.ProjectId, commit.UserId, next, state);
            }
            else
            {
                versions[user] = current;
            }
            foreach (var row in commit.Enriched)
            {
                enriched.Add(new(commit.ProjectId, row));
            }
            foreach (var session in commit.Sessions)
            {
                sessions[(commit.ProjectId, session.SessionId)] = new(commit.ProjectId, session);
            }
            done.AddRange(commit.Done);
            failed.AddRange(commit.Failed);
            webhooks.AddRange(commit.Webhooks);
        }

        return new CommitPlan(stale, [.. snapshots.Values], enriched, [.. sessions.Values], done, failed, webhooks, accepted);
    }
}

/// <summary>A row to write and the project it belongs to.</summary>
internal readonly record struct InProject<T>(long ProjectId, T Row);
