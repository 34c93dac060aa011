using SessionInsights.Domain.Events;
using SessionInsights.Domain.Tests.Support;
using SessionInsights.Domain.Users;
using static SessionInsights.Domain.Tests.Support.Ev;

namespace SessionInsights.Domain.Tests.Users;

public class ReplayOrderTests
{
    private static StoredEvent Stored(long seq, string? session, int? number = null, string? storedSession = null) =>
        new(seq, Ph.Click(At(seq), session: session))
        {
            Committed = number is { } n ? new CommittedRow(storedSession ?? session, n) : null,
        };

    private static UserActivity Restore(byte[] snapshot) =>
        UserActivity.FromSnapshot("u1", snapshot, [], Support.Users.Options(), Ph.FakeEnrich);

    private static long[] Seqs(IReadOnlyList<StoredEvent> events) => [.. events.Select(e => e.Seq)];

    [Fact]
    public void Without_stored_rows_the_log_order_is_kept()
    {
        var pending = new[] { Stored(1, "a"), Stored(2, "b"), Stored(3, "a") };

        Assert.Same(pending, ReplayOrder.Arrange(pending));
    }

    [Fact]
    public void Stored_events_come_first_and_the_others_follow_in_log_order()
    {
        var pending = new[] { Stored(1, "a"), Stored(2, "a", 7), Stored(3, "b"), Stored(4, "b", 3), Stored(5, "a") };

        Assert.Equal([2, 4, 1, 3, 5], Seqs(ReplayOrder.Arrange(pending)));
    }

    [Fact]
    public void Within_a_session_stored_events_take_their_stored_order_in_the_slots_the_session_holds()
    {
        // Delivered b3, a1, a2 ... : the log order differs from the numbering within each session.
        var pending = new[]
        {
            Stored(10, "a", 2), Stored(11, "b", 5), Stored(12, "a", 1), Stored(13, null, 0), Stored(14, "b", 4), Stored(15, "a", 3),
        };

        var arranged = ReplayOrder.Arrange(pending);

        // a's slots 0, 2, 5 get a1, a2, a3; b's slots 1, 4 get b4, b5; the session-less event keeps its slot.
        Assert.Equal([12, 14, 10, 13, 11, 15], Seqs(arranged));
    }

    [Fact]
    public void Equal_numbers_keep_log_order()
    {
        // Events of a session dropped from memory are stored without a number (0).
        var pending = new[] { Stored(1, "old", 0), Stored(2, "old", 0), Stored(3, "old", 0) };

        Assert.Equal([1, 2, 3], Seqs(ReplayOrder.Arrange(pending)));
    }

    [Fact]
    public void The_recent_ring_starts_without_the_stored_events_the_replay_applies_again()
    {
        var replayed = Stored(2, "a", 2);
        var fresh = Stored(3, "a");
        var recent = new[] { Ev.Click("one", At(1)) with { RawEventId = Guid.NewGuid() }, Ev.Click("two", At(2)) with { RawEventId = replayed.Event.Uuid } };

        Assert.Equal([recent[0]], ReplayOrder.RecentExceptReplayed(recent, [replayed, fresh]));
        Assert.Same(recent, ReplayOrder.RecentExceptReplayed(recent, [fresh]));
    }

    [Fact]
    public void A_replay_in_that_order_reproduces_the_stored_numbers_when_delivery_differed_from_the_log()
    {
        // Two gateways: the log holds e1..e6, the grain got them as e3, e2, e1, e6, e5, e4 and committed
        // them (numbers stored) without a snapshot, then crashed. A new activation replays from the
        // snapshot taken before them.
        var log = new[]
        {
            Ph.PageView(At(1), "/a", session: "s1"), Ph.Click(At(2), session: "s2"), Ph.Click(At(3), session: "s1"),
            Ph.PageView(At(4), "/b", session: "s2"), Ph.Click(At(5), session: "s1"), Ph.Click(At(6), session: "s2"),
        };
        var before = Support.Users.New();
        before.Apply(Ph.PageView(At(0), "/start", session: "s1"), At(0));
        var snapshot = before.ToSnapshot();

        var live = Restore(snapshot);
        var stored = new Dictionary<Guid, CommittedRow>();
        foreach (var i in new[] { 2, 1, 0, 5, 4, 3 })
        {
            var e = live.Apply(log[i], At(10)).Event;
            stored[e.RawEventId] = new CommittedRow(e.SessionId, e.SequenceNumber);
        }
        var pending = log.Select((e, i) => new StoredEvent(i + 1, e) { Committed = stored[e.Uuid] }).ToList();

        var inLogOrder = Restore(snapshot);
        var logNumbers = pending.Select(p => inLogOrder.Apply(p.Event, At(10)).Event).ToDictionary(e => e.RawEventId, e => new CommittedRow(e.SessionId, e.SequenceNumber));
        var replayed = Restore(snapshot);
        var numbers = ReplayOrder.Arrange(pending).Select(p => replayed.Apply(p.Event, At(10)).Event).ToDictionary(e => e.RawEventId, e => new CommittedRow(e.SessionId, e.SequenceNumber));

        Assert.NotEqual(stored, logNumbers);
        Assert.Equal(stored, numbers);
        Assert.Equal(live.ToSnapshot(), replayed.ToSnapshot());
    }
}
