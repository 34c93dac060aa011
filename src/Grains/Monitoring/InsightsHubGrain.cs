using SessionInsights.Grains.Abstractions;

namespace SessionInsights.Grains.Monitoring;

/// <summary>
/// The cluster's insights hub (see <see cref="IInsightsHubGrain"/>). It lives in memory only: after it
/// moves (its silo stopped) every node's next report fills the node table again and the nodes resend
/// the log lines and firings they still keep; the traffic history starts over.
/// </summary>
public sealed class InsightsHubGrain(TimeProvider time) : Grain, IInsightsHubGrain
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(1);
    private readonly HubState _state = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Not a keep-alive timer: the nodes' reports every second keep the hub active.
        this.RegisterGrainTimer(() =>
        {
            _state.Tick(time.GetUtcNow());
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions(SampleEvery, SampleEvery) { KeepAlive = false });
        return Task.CompletedTask;
    }

    public Task<ReportAck> Report(NodeReport report) => Task.FromResult(_state.Report(report, time.GetUtcNow()));

    public Task<ClusterOverview> GetOverview() => Task.FromResult(_state.Overview(time.GetUtcNow()));

    public Task<IReadOnlyList<PatternCount>> GetPatterns(TimeSpan window, int usersPerRule) =>
        Task.FromResult(_state.Patterns(time.GetUtcNow(), window, usersPerRule));

    public Task<IReadOnlyList<RuleFiringCount>> GetRuleFirings(long projectId) =>
        Task.FromResult(_state.RuleFirings(projectId, time.GetUtcNow()));

    public Task<IReadOnlyList<NodeLogLine>> GetLogs(int max) => Task.FromResult(_state.Logs(max));
}
