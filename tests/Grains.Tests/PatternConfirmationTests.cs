using System.Text.Json;
using SessionInsights.Domain.Events;
using SessionInsights.Grains.Abstractions;
using SessionInsights.Grains.Tests.Support;

namespace SessionInsights.Grains.Tests;

/// <summary>
/// A pending pattern becomes confirmed when its negative window ends, by the user grain's timer alone:
/// no new event arrives, yet the stored session row, the session view and the context all say so.
/// </summary>
[Collection(SharedClusterCollection.Name)]
public sealed class PatternConfirmationTests(SharedClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly GrainTestCluster _c = fixture.Cluster;

    // The shop pack (the default): "add to cart" with no "checkout" within 900 s.
    private const string Code = "cart_abandonment_with_items";
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(900);

    [Fact]
    public async Task A_pending_pattern_is_confirmed_at_the_end_of_its_window_without_any_new_event()
    {
        var user = TestEvents.NewUser("confirm");
        var session = $"s-{user}";
        // Dated so that the window ends 25 s from now: long enough to see it pending on a loaded machine.
        var at = DateTimeOffset.UtcNow - Window + TimeSpan.FromSeconds(25);
        at = new DateTimeOffset(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        var ends = at + Window;
        using var props = JsonDocument.Parse($$"""{"$session_id":"{{session}}","$pathname":"/products","$event_type":"click","token":"phc_test"}""");
        var addToCart = new PostHogEvent(Guid.CreateVersion7(), "$autocapture", user, at, props.RootElement.Clone(),
            "button.btn:nth-child=\"1\"nth-of-type=\"1\"text=\"Add to Cart\";div.card:nth-child=\"1\"");

        await _c.IngestAsync(user, [addToCart]);

        // Applied before the window's end, so the row written with it says pending, however slow the commit.
        Assert.True(DateTimeOffset.UtcNow < ends, "the machine took longer than the window's remaining 25 s to apply one event");
        var pendingRow = await Wait.UntilAsync(() => _c.Store.LoadSessionAsync(ProjectIds.Default, session), r => r is not null, Deadline, _ => "the session row");
        Assert.Equal("pending", StatusIn(pendingRow!.PatternsJson));

        // Nothing is sent from here on.
        var row = await Wait.UntilAsync(
            () => _c.Store.LoadSessionAsync(ProjectIds.Default, session),
            r => r is not null && StatusIn(r.PatternsJson) == "confirmed",
            Deadline,
            r => $"the stored row to say confirmed after {ends:O} (now {DateTimeOffset.UtcNow:O}; row: {r?.PatternsJson})");
        Assert.True(DateTimeOffset.UtcNow >= ends, "confirmed before the window ended");
        Assert.Equal(1, row!.EventCount);

        var view = await Wait.UntilAsync(
            () => _c.Client.GetSession(ProjectIds.Default, session).Get(10),
            v => v.Found && StatusIn(JsonDocument.Parse(v.Json).RootElement.GetProperty("session").GetProperty("patterns").GetRawText()) == "confirmed",
            Deadline,
            v => "the session view to say confirmed");
        Assert.True(view.Found);

        var context = JsonDocument.Parse((await _c.User(user).GetContext(new ContextQuery(10, null, ConfirmedOnly: true))).Json).RootElement;
        Assert.Equal("confirmed", StatusIn(context.GetProperty("patterns").GetRawText()));
    }

    private static string? StatusIn(string patternsJson) =>
        JsonDocument.Parse(patternsJson).RootElement.EnumerateArray()
            .Where(p => p.GetProperty("code").GetString() == Code)
            .Select(p => p.GetProperty("status").GetString())
            .SingleOrDefault();
}
