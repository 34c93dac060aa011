using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using SessionInsights.Domain.Events;
using SessionInsights.Grains.Abstractions;
using SessionInsights.Grains.Hosting;
using SessionInsights.Grains.Tests.Support;

namespace SessionInsights.Grains.Tests;

/// <summary>
/// Events that fail (docs/ingestion.md "Events that fail"): a fault injected through DI (an
/// <see cref="IEventProcessingHook"/>) makes processing throw for one event type; the events are
/// retried with backoff, become dead letters, and after the fix a bulk retry applies each exactly once.
/// </summary>
public sealed class DeadLetterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Failing_events_retry_then_dead_letter_and_after_the_fix_every_event_is_applied_exactly_once()
    {
        var hook = new FailingHook();
        await using var c = await GrainTestCluster.StartAsync(
            new Dictionary<string, string?>
            {
                ["EventRetries:BaseDelay"] = "00:00:00.200",
                ["EventRetries:PollInterval"] = "00:00:00.200",
            },
            services => services.AddSingleton<IEventProcessingHook>(hook));
        var user = TestEvents.NewUser("dead");
        // Page views (even) and clicks ($autocapture, odd) alternate.
        var events = TestEvents.Stream(user, 8);
        var clicks = events.Where(e => e.Event == "$autocapture").Select(e => e.Uuid).ToList();
        hook.BrokenType = "$autocapture";
        hook.Flaky = events[0].Uuid;       // a transient error twice, then fine: never a dead letter
        hook.Invalid = events[2].Uuid;     // a permanent error (the event is invalid): a dead letter at once

        await c.IngestAsync(user, events);

        // Clicks: the first try and 3 retries (0.2 s, 0.4 s, 0.8 s apart), then dead letters with the last error.
        var dead = await Wait.UntilAsync(
            () => c.RawLog.ReadFailedAsync(ProjectIds.Default, 100),
            d => d.Count == clicks.Count + 1,
            Deadline,
            d => $"{clicks.Count + 1} dead letters, have {d?.Count}; logs:{Environment.NewLine}{c.Logs.Tail()}");
        var expected = clicks.Select(u => (u, 4, "InvalidOperationException: injected: $autocapture is broken"))
            .Append((events[2].Uuid, 1, "ArgumentException: injected: invalid event"));
        Assert.Equal(expected.OrderBy(d => d.Item1), dead.Select(d => (d.Uuid, d.Attempts, d.Reason)).OrderBy(d => d.Item1));
        Assert.All(dead, d => Assert.Equal("DEAD_LETTER", d.Status));
        Assert.All(clicks, u => Assert.Equal(4, hook.Calls(u)));
        Assert.Equal(1, hook.Calls(events[2].Uuid));
        // The flaky page view got through on its third try; the other events were never held up.
        var before = await Wait.UntilAsync(() => c.ReadContextAsync(user), v => v.Events.Count == 3, Deadline, v => $"3 page views applied, have {v?.Describe()}");
        before.AssertExactly([events[0].Uuid, events[4].Uuid, events[6].Uuid]);
        Assert.Equal(3, hook.Calls(events[0].Uuid));
        Assert.Equal(5, await c.RawLog.CountDeadLettersAsync(ProjectIds.Default));

        // The fix, then "retry all dead letters", as POST /events/dead-letters/retry does.
        hook.BrokenType = null;
        hook.Invalid = null;
        var retried = await c.RawLog.RetryDeadLettersAsync(ProjectIds.Default);
        Assert.Equal(5, retried.Events);
        Assert.Equal([new UserRef(ProjectIds.Default, user)], retried.Users);
        foreach (var u in retried.Users)
        {
            await c.Client.GetUser(u.ProjectId, u.DistinctId).RecoverPending();
        }

        await c.CommittedAsync(user, Deadline);
        var context = await Wait.UntilAsync(() => c.ReadContextAsync(user), v => v.Events.Count == 8, Deadline, v => $"all 8 events, have {v?.Describe()}");
        context.AssertExactly([.. events.Select(e => e.Uuid)]);
        Assert.Equal(8, context.LastSessionEventCount);
        // Storage: one enriched row per event, numbered 1..8; nothing PENDING or dead.
        var rows = await c.Store.LoadRecentEventsAsync(ProjectIds.Default, user, 100, since: null);
        Assert.Equal(Enumerable.Range(1, 8), rows.Select(r => r.SequenceNumber).Order());
        Assert.Equal(events.Select(e => e.Uuid).Order(), rows.Select(r => r.RawEventId).Order());
        Assert.Equal(new Domain.Storage.RawEventCounts(0, 8, 0), await c.RawLog.CountAsync());
        // Every event was marked DONE by exactly one written commit.
        var doneOnce = c.Store.CommitsOf(user).Where(r => !r.Refused).SelectMany(r => r.Commit.Done).GroupBy(u => u).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(events.Select(e => (e.Uuid, 1)).Order(), doneOnce.Select(p => (p.Key, p.Value)).Order());
        Assert.All(clicks, u => Assert.Equal(5, hook.Calls(u)));
    }

    /// <summary>Fails chosen events: a type "broken" (unexpected error), one flaky event, one invalid event.</summary>
    private sealed class FailingHook : IEventProcessingHook
    {
        private readonly ConcurrentDictionary<Guid, int> _calls = new();

        public volatile string? BrokenType;
        public Guid? Flaky;
        public Guid? Invalid;

        public int Calls(Guid uuid) => _calls.GetValueOrDefault(uuid);

        public void BeforeApply(long projectId, StoredEvent stored)
        {
            var calls = _calls.AddOrUpdate(stored.Event.Uuid, 1, (_, n) => n + 1);
            if (stored.Event.Event == BrokenType)
            {
                throw new InvalidOperationException($"injected: {BrokenType} is broken");
            }
            if (stored.Event.Uuid == Invalid)
            {
                throw new ArgumentException("injected: invalid event");
            }
            if (stored.Event.Uuid == Flaky && calls <= 2)
            {
                throw new TimeoutException("injected: flaky");
            }
        }
    }
}
