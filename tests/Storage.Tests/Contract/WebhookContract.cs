using SessionInsights.Domain.Storage;
using SessionInsights.Domain.Webhooks;

namespace SessionInsights.Storage.Tests.Contract;

/// <summary>The webhook outbox (docs/webhooks.md): written with grain commits, claimed under a lease, completed with backoff.</summary>
public abstract partial class StorageContractTests
{
    private IWebhookOutbox Outbox => Storage.Webhooks;

    private static WebhookOutboxRow Firing(string user, string endpoint, string code = "price_rage_click", Guid? id = null) =>
        new(id ?? Guid.NewGuid(), endpoint, ProjectIds.Default, user, $"s-{user}", code, WebhookFirings.PatternFired,
            DateTimeOffset.UtcNow, $$$"""{"kind":"pattern.fired","user_id":"{{{user}}}","pattern":{"code":"{{{code}}}"}}""");

    [Fact]
    public async Task Outbox_rows_are_written_with_their_commit_and_a_replayed_firing_is_stored_once()
    {
        var user = TestData.NewUser();
        var id = Guid.NewGuid();
        var rows = new[] { Firing(user, "http://a.test/hook", id: id), Firing(user, "http://b.test/hook", id: id) };

        await State.CommitAsync([TestData.Commit(user, 0) with { Webhooks = rows }]);
        // A replay after a crash makes the same firing again: same id, same endpoints.
        await State.CommitAsync([TestData.Commit(user, 1) with { Webhooks = rows }]);
        // A stale incarnation's commit is refused whole: its rows too.
        var stale = await State.CommitAsync([TestData.Commit(user, 0) with { Webhooks = [Firing(user, "http://a.test/hook")] }]);

        Assert.Single(stale);
        Assert.Equal(new WebhookDeliveryCounts(2, 0, 0), await Outbox.CountAsync(null));
        var listed = await Outbox.ListRecentAsync(ProjectIds.Default, 10);
        Assert.Equal(["http://a.test/hook", "http://b.test/hook"], listed.Select(d => d.Endpoint).Order());
        Assert.All(listed, d =>
        {
            Assert.Equal((id, user, $"s-{user}", "price_rage_click", "pending", 0), (d.Id, d.UserId, d.SessionId, d.PatternCode, d.State, d.Attempts));
            Assert.Equal("", d.Payload);
            Assert.NotNull(d.NextAttemptAt);
        });
        Assert.Empty(await Outbox.ListRecentAsync(99, 10));
        Assert.Equal(new WebhookDeliveryCounts(0, 0, 0), await Outbox.CountAsync(99));
    }

    [Fact]
    public async Task A_confirmation_is_stored_beside_its_firing_once_and_claimed_with_its_kind()
    {
        var user = TestData.NewUser();
        var windowEnd = DateTimeOffset.UtcNow;
        var fired = Firing(user, "http://a.test/hook", "cart_abandonment_with_items");
        var confirmed = new WebhookOutboxRow(
            WebhookFirings.ConfirmedIdOf(ProjectIds.Default, user, $"s-{user}", "cart_abandonment_with_items", windowEnd), "http://a.test/hook",
            ProjectIds.Default, user, $"s-{user}", "cart_abandonment_with_items", WebhookFirings.PatternConfirmed, windowEnd,
            $$$"""{"kind":"pattern.confirmed","user_id":"{{{user}}}"}""");

        await State.CommitAsync([TestData.Commit(user, 0) with { Webhooks = [fired] }]);
        await State.CommitAsync([TestData.Commit(user, 1) with { Webhooks = [confirmed] }]);
        // Another activation confirms the same window again: the same id, nothing new.
        await State.CommitAsync([TestData.Commit(user, 2) with { Webhooks = [confirmed] }]);

        var claimed = (await Outbox.ClaimDueAsync(10, TimeSpan.FromHours(1))).Where(c => c.UserId == user).ToList();
        Assert.Equal([WebhookFirings.PatternConfirmed, WebhookFirings.PatternFired], claimed.Select(c => c.Kind).Order());
        Assert.Equal(confirmed.Payload, claimed.Single(c => c.Kind == WebhookFirings.PatternConfirmed).Payload);
        Assert.NotEqual(claimed[0].Id, claimed[1].Id);
    }

    [Fact]
    public async Task Claimed_rows_are_leased_and_end_delivered_due_again_after_their_backoff_or_failed()
    {
        var user = TestData.NewUser();
        var (delivered, later, now, refused) = (Firing(user, "http://a.test/1"), Firing(user, "http://a.test/2"), Firing(user, "http://a.test/3"), Firing(user, "http://a.test/4"));
        await State.CommitAsync([TestData.Commit(user, 0) with { Webhooks = [delivered, later, now, refused] }]);

        var claimed = await Outbox.ClaimDueAsync(10, TimeSpan.FromHours(1));
        Assert.Equal(4, claimed.Count);
        Assert.Equal(delivered.Payload, claimed.Single(c => c.Endpoint == delivered.Endpoint).Payload);
        // Leased: another dispatcher takes none of them.
        Assert.Empty(await Outbox.ClaimDueAsync(10, TimeSpan.FromHours(1)));

        await Outbox.CompleteAsync(
        [
            new(delivered.Id, delivered.Endpoint, WebhookOutcome.Delivered, 200, null),
            new(later.Id, later.Endpoint, WebhookOutcome.Retry, 503, "HTTP 503", TimeSpan.FromHours(1)),
            new(now.Id, now.Endpoint, WebhookOutcome.Retry, null, "no answer within 10 s", TimeSpan.Zero),
            new(refused.Id, refused.Endpoint, WebhookOutcome.Failed, 404, "HTTP 404"),
        ]);

        // Only the retry that is due comes back, with its attempt counted; the other waits its hour.
        var again = Assert.Single(await Outbox.ClaimDueAsync(10, TimeSpan.FromHours(1)));
        Assert.Equal((now.Id, now.Endpoint, 1), (again.Id, again.Endpoint, again.Attempts));
        await Outbox.CompleteAsync([new(now.Id, now.Endpoint, WebhookOutcome.Delivered, 204, null)]);
        // A late completion of a finished row (a lease that ran out, a second sender) changes nothing.
        await Outbox.CompleteAsync([new(refused.Id, refused.Endpoint, WebhookOutcome.Delivered, 200, null)]);

        Assert.Equal(new WebhookDeliveryCounts(1, 2, 1), await Outbox.CountAsync(ProjectIds.Default));
        var rows = (await Outbox.ListRecentAsync(null, 10)).ToDictionary(d => d.Endpoint);
        Assert.Equal(("delivered", 1, 200, (string?)null), (rows[delivered.Endpoint].State, rows[delivered.Endpoint].Attempts, rows[delivered.Endpoint].LastStatus, rows[delivered.Endpoint].LastError));
        Assert.NotNull(rows[delivered.Endpoint].FinishedAt);
        Assert.Null(rows[delivered.Endpoint].NextAttemptAt);
        Assert.Equal(("pending", 1, 503, "HTTP 503"), (rows[later.Endpoint].State, rows[later.Endpoint].Attempts, rows[later.Endpoint].LastStatus, rows[later.Endpoint].LastError));
        Assert.InRange(rows[later.Endpoint].NextAttemptAt!.Value, DateTimeOffset.UtcNow.AddMinutes(50), DateTimeOffset.UtcNow.AddMinutes(70));
        Assert.Null(rows[later.Endpoint].FinishedAt);
        Assert.Equal(("delivered", 2, 204), (rows[now.Endpoint].State, rows[now.Endpoint].Attempts, rows[now.Endpoint].LastStatus));
        Assert.Equal(("failed", 1, 404, "HTTP 404"), (rows[refused.Endpoint].State, rows[refused.Endpoint].Attempts, rows[refused.Endpoint].LastStatus, rows[refused.Endpoint].LastError));
        Assert.NotNull(rows[refused.Endpoint].FinishedAt);
    }

    [Fact]
    public async Task A_lease_that_ran_out_lets_another_dispatcher_take_the_row_and_a_claim_takes_at_most_its_limit()
    {
        var user = TestData.NewUser();
        await State.CommitAsync([TestData.Commit(user, 0) with { Webhooks = [.. Enumerable.Range(0, 5).Select(i => Firing(user, $"http://a.test/{i}"))] }]);

        Assert.Equal(3, (await Outbox.ClaimDueAsync(3, TimeSpan.Zero)).Count);
        // A sender that died mid-attempt: its lease is over, so the rows are taken again (at least once).
        Assert.Equal(5, (await Outbox.ClaimDueAsync(10, TimeSpan.FromHours(1))).Count);
        Assert.Empty(await Outbox.ClaimDueAsync(10, TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task Retention_deletes_finished_rows_only_and_an_erase_takes_the_users_rows()
    {
        var user = TestData.NewUser();
        var other = TestData.NewUser();
        var (done, failed, waiting) = (Firing(user, "http://a.test/1"), Firing(user, "http://a.test/2"), Firing(user, "http://a.test/3"));
        await State.CommitAsync([TestData.Commit(user, 0) with { Webhooks = [done, failed, waiting] }, TestData.Commit(other, 0) with { Webhooks = [Firing(other, "http://a.test/1")] }]);
        await Outbox.ClaimDueAsync(10, TimeSpan.FromHours(1));
        await Outbox.CompleteAsync(
        [
            new(done.Id, done.Endpoint, WebhookOutcome.Delivered, 200, null),
            new(failed.Id, failed.Endpoint, WebhookOutcome.Failed, 410, "HTTP 410"),
            new(waiting.Id, waiting.Endpoint, WebhookOutcome.Retry, 500, "HTTP 500", TimeSpan.FromHours(1)),
        ]);

        Assert.Equal(0, await Outbox.PruneAsync(DateTimeOffset.UtcNow.AddMinutes(-5)));
        Assert.Equal(2, await Outbox.PruneAsync(DateTimeOffset.UtcNow.AddMinutes(5)));
        Assert.Equal(["http://a.test/1", waiting.Endpoint], (await Outbox.ListRecentAsync(null, 10)).Select(d => d.Endpoint).Order());

        await State.EraseUserAsync(ProjectIds.Default, user, "test");
        Assert.Equal([other], (await Outbox.ListRecentAsync(null, 10)).Select(d => d.UserId));
    }
}
