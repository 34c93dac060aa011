using System.Net.Http.Json;
using System.Text.Json;
using SessionInsights.Domain.Webhooks;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Webhooks;

/// <summary>
/// A firing whose events were acknowledged but not yet committed when the process died with SIGKILL is
/// neither lost nor doubled: the restarted process replays the events, fires again and sends one
/// delivery per firing, with the id any process derives from the firing.
/// </summary>
public sealed class WebhookCrashTests
{
    private const string Secret = "whsec_integration_crash_0123";

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task A_firing_cut_off_by_sigkill_before_its_commit_is_sent_once_after_the_restart_with_its_derived_id(string kind)
    {
        await using var db = await StorageBackend.CreateAsync(kind);
        await using var receiver = new WebhookReceiver(TestPorts.Next(), Secret, failFirst: 0);
        var env = db.NodeEnvironment();
        env["Webhooks__Endpoints__0__Url"] = receiver.Url;
        env["Webhooks__Endpoints__0__Secret"] = Secret;
        env["Webhooks__PollInterval"] = "00:00:00.100";
        var users = Enumerable.Range(0, 4).Select(i => $"crash-{kind}-{i}").ToList();
        var rages = users.ToDictionary(u => u, _ => Guid.NewGuid());
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);

        var holding = new Dictionary<string, string?>(env) { ["Grains__FlushDelay"] = "00:01:00" };
        await using (var node = await NodeProcess.StartGatewayAsync(holding))
        {
            using var http = node.CreateClient();
            foreach (var user in users)
            {
                (await http.PostAsJsonAsync("/ingest", Envelope(Pageview(user, $"s-{user}", at, "/pricing")))).EnsureSuccessStatusCode();
                (await http.PostAsJsonAsync("/ingest", Envelope(Event("$rageclick", user, $"s-{user}", at.AddSeconds(2), "/pricing", "button.btn:text=\"$49 / month\"", rages[user])))).EnsureSuccessStatusCode();
                // Applied and fired in the grain's memory; the commit (and so the outbox row) waits a minute.
                await ContextReader.WaitForAsync(http, user, c => ContextReader.PatternCodes(c).Contains("price_rage_click"));
            }
            var outbox = await http.GetFromJsonAsync<JsonElement>("/insights/api/webhooks");
            Assert.Equal(0, outbox.GetProperty("pending").GetInt64() + outbox.GetProperty("delivered").GetInt64());
            await node.KillAsync();
        }
        Assert.Empty(receiver.Received);

        await using var restarted = await NodeProcess.StartGatewayAsync(env);
        using var again = restarted.CreateClient();
        foreach (var user in users)
        {
            // The read activates the grain, which replays the user's PENDING events.
            await ContextReader.WaitForAsync(again, user, c => ContextReader.PatternCodes(c).Contains("price_rage_click"));
        }
        await ContextReader.WaitUntilAsync(() => Task.FromResult(receiver.Delivered.Count == users.Count), () => $"{users.Count} deliveries, got {receiver.Delivered.Count}");

        var expected = users.Select(u => WebhookFirings.IdOf(WebhookFirings.PatternFired, 1, u, $"s-{u}", "price_rage_click", rages[u]).ToString("D")).Order().ToList();
        Assert.Equal(expected, receiver.Received.Select(r => r.DeliveryId).Order());
        Assert.All(receiver.Received, r =>
        {
            Assert.True(r.SignatureValid);
            using var body = JsonDocument.Parse(r.Body);
            var user = body.RootElement.GetProperty("user_id").GetString()!;
            Assert.Equal(rages[user].ToString("D"), body.RootElement.GetProperty("trigger_event_id").GetString());
        });
        // Nothing more comes: one firing, one delivery.
        var listed = await ContextReader.GetJsonUntilAsync(again, "/insights/api/webhooks", w => w.GetProperty("delivered").GetInt64() == users.Count);
        Assert.Equal(0, listed.GetProperty("pending").GetInt64() + listed.GetProperty("failed").GetInt64());
    }
}
