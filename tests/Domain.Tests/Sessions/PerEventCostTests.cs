using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.Sessions;
using static SessionInsights.Domain.Tests.Support.Ev;

namespace SessionInsights.Domain.Tests.Sessions;

/// <summary>
/// Allocation is deterministic, unlike time, so the per-event budget of the session + 25 rules step
/// is asserted here; throughput is measured by the benchmark (bench/Benchmarks).
/// </summary>
public class PerEventCostTests
{
    private static readonly string[] Labels =
    [
        "Clicked 'Add to Cart' button", "Clicked 'Checkout' button", "Rage-clicked '$1,299.00' button",
        "Clicked 'Phantom X Pro' product card", "Selected product: Phantom X Pro", "Clicked 'Racing' filter button",
        "Clicked 'Continue Shopping' button", "Item added to cart",
    ];

    [Fact]
    public void A_long_session_costs_the_same_per_event_and_allocates_little()
    {
        var events = new EnrichedEvent[20_000];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = (i % 4) switch
            {
                0 => PageView($"/p{i % 7}", At(i)),
                1 => RageClick(Labels[i % Labels.Length], At(i)),
                2 => Custom(Labels[i % Labels.Length], At(i)),
                _ => Click(Labels[i % Labels.Length], At(i - (i % 13 == 0 ? 100 : 0))), // some late arrivals
            };
        }
        var session = new TrackedSession("s1", "u1", PatternRuleSet.Default);
        Run(session, events.AsSpan(0, 2_000)); // warm-up, and the session is already long

        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(session, events.AsSpan(2_000));
        var perEvent = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)(events.Length - 2_000);

        // Measured about 630 B: the event copy with its sequence number (~160 B), the row (~120 B) and
        // the summary text, rebuilt when counts change (~330 B). Rules and pattern rows allocate nothing.
        Assert.InRange(perEvent, 1, 800);
    }

    private static void Run(TrackedSession session, ReadOnlySpan<EnrichedEvent> events)
    {
        foreach (var e in events)
        {
            session.Apply(e, e.Timestamp);
            _ = session.ToRecord();
        }
    }
}
