using SessionInsights.Domain.Projects;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Domain.Persistence;

/// <summary>
/// Batches the commits of all user grains of this silo into shared storage transactions.
/// </summary>
public sealed class GrainStateWriter : IAsyncDisposable
{
    private readonly GroupCommitter<UserCommit, CommitOutcome> _committer;

    public GrainStateWriter(IGrainStateStore store, int writers = 2, int maxEventsPerBatch = 5000)
    {
        Store = store;
        _committer = new GroupCommitter<UserCommit, CommitOutcome>(
            async (commits, ct) =>
            {
                var rejected = await store.CommitAsync(commits, ct).ConfigureAwait(false);
                var outcomes = new CommitOutcome[commits.Count];
                for (var i = 0; i < commits.Count; i++)
                {
                    outcomes[i] = rejected.Count > 0 && rejected.Contains(new(commits[i].ProjectId, commits[i].UserId))
                        ? CommitOutcome.StaleVersion
                        : CommitOutcome.Committed;
                }
                return outcomes;
            },
            c => 1 + c.Enriched.Count,
            maxEventsPerBatch,
            writers);
    }

    public IGrainStateStore Store { get; }

    public long Backlog => _committer.QueuedWeight;

    public Task<CommitOutcome> CommitAsync(UserCommit commit) => _committer.SubmitAsync(commit);

    public ValueTask DisposeAsync() => _committer.DisposeAsync();
}

public enum CommitOutcome
{
    Committed,
    StaleVersion,
}
