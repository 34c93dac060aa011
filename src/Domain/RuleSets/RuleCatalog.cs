using System.Collections.Concurrent;
using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Domain.RuleSets;

/// <summary>The rules a project's users are processed with, compiled from one version of its stored set.</summary>
public sealed record RulesInForce(long ProjectId, long Version, PatternRuleSet Rules, InsightsOptions Options);

/// <summary>
/// One process's view of every project's rules: loaded on a project's first use, then kept current by
/// <see cref="RefreshAsync"/>, which a hosted service calls every few hundred milliseconds. Grains ask
/// <see cref="Current"/> on every call (a dictionary read) and switch when the version moved.
/// </summary>
public sealed class RuleCatalog(IRuleStore store, ProjectInsightsOptions projects)
{
    private readonly ConcurrentDictionary<long, RulesInForce> _current = new();
    private readonly ConcurrentDictionary<long, Task<RulesInForce>> _loading = new();

    /// <summary>The project's rules as last loaded, or null before its first <see cref="GetAsync"/>.</summary>
    public RulesInForce? Current(long projectId) => _current.GetValueOrDefault(projectId);

    /// <summary>The seed of a project's empty store: its rule file, or the configured pack.</summary>
    public PatternRuleSet SeedFor(long projectId) => projects.For(projectId).Rules;

    /// <summary>The project's rules, loading them on first use (one load however many callers wait).</summary>
    public ValueTask<RulesInForce> GetAsync(long projectId, CancellationToken ct = default) =>
        _current.TryGetValue(projectId, out var rules)
            ? ValueTask.FromResult(rules)
            : new ValueTask<RulesInForce>(_loading.GetOrAdd(projectId, LoadAsync).WaitAsync(ct));

    /// <summary>Reloads every loaded project whose stored version moved; returns how many changed.</summary>
    public async Task<int> RefreshAsync(CancellationToken ct = default)
    {
        if (_current.IsEmpty)
        {
            return 0;
        }
        var versions = await store.LoadVersionsAsync(ct).ConfigureAwait(false);
        var changed = 0;
        foreach (var (projectId, rules) in _current)
        {
            if (versions.TryGetValue(projectId, out var version) && version != rules.Version)
            {
                Publish(Compile(await store.LoadAsync(projectId, SeedFor(projectId), ct).ConfigureAwait(false)));
                changed++;
            }
        }
        return changed;
    }

    /// <summary>The enabled rules of a stored set, in order, with the project's other options.</summary>
    public RulesInForce Compile(RuleSetState state)
    {
        var rules = PatternRuleSet.FromDefinitions(state.Rules.Where(r => r.Enabled).Select(r => r.Definition));
        return new RulesInForce(state.ProjectId, state.Version, rules, projects.For(state.ProjectId) with { Rules = rules });
    }

    private async Task<RulesInForce> LoadAsync(long projectId)
    {
        // Never synchronously: the finally below must run after GetOrAdd has stored this task.
        await Task.Yield();
        try
        {
            return Publish(Compile(await store.LoadAsync(projectId, SeedFor(projectId)).ConfigureAwait(false)));
        }
        finally
        {
            // Published (or failed, to be retried by the next caller) before the next caller looks.
            _loading.TryRemove(projectId, out _);
        }
    }

    /// <summary>Versions only move forward: a slow load never replaces what a later refresh found.</summary>
    private RulesInForce Publish(RulesInForce rules) =>
        _current.AddOrUpdate(rules.ProjectId, rules, (_, old) => old.Version >= rules.Version ? old : rules);
}
