using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SessionInsights.Domain.Context;
using SessionInsights.Domain.Users;

namespace SessionInsights.Domain.Tests.Context;

/// <summary>Budgets over random contexts: the count is the tokenizer's, within the budget, and the most important parts go last.</summary>
public class ContextBudgetTests
{
    private static readonly string[] Severities = ["HIGH", "MEDIUM", "LOW"];
    private static readonly string[] Words = ["billing", "cart", "Upgrade to Pro", "checkout", "Größe", "🚁 drone", "pricing", "settings", "support", "Add to Cart", "search"];

    [Theory]
    [InlineData("o200k_base", 1)]
    [InlineData("o200k_base", 2)]
    [InlineData("cl100k_base", 3)]
    public void Random_contexts_fit_their_budgets_with_the_tokenizers_own_count(string tokenizerName, int seed)
    {
        var tokenizer = ContextTokenizers.Get(tokenizerName)!;
        var random = new Random(seed);
        var trimmedText = 0;
        var trimmedJson = 0;
        var trimmedPrevious = 0;
        var tooSmall = 0;
        for (var round = 0; round < 100; round++)
        {
            var (json, events, severities) = RandomContext(random);
            var budget = random.Next(3) == 0 ? random.Next(ContextBudget.MinTokens, 400) : random.Next(ContextBudget.MinTokens, 4000);
            var root = JsonDocument.Parse(json).RootElement;

            // Text.
            var parts = ContextText.Read(root);
            var text = ContextBudget.FitText(parts, budget, tokenizer);
            if (text.Body is null)
            {
                tooSmall++;
                Assert.True(text.MinimumTokens > budget);
                Assert.Equal(tokenizer.CountTokens(ContextText.Render(parts, 0, 0, 0)), text.MinimumTokens);
            }
            else
            {
                Assert.Equal(tokenizer.CountTokens(text.Body), text.Tokens);
                Assert.True(text.Tokens <= budget, $"{text.Tokens} > {budget}");
                Assert.StartsWith(parts.Header + "\nSummary: " + (parts.Summary ?? "none") + "\n", text.Body);
                var kept = events.Count - text.EventsDropped;
                if (kept > 0)
                {
                    Assert.Equal(0, text.PatternsDropped); // every pattern before any event
                }
                // The newest events are the ones kept (labels are unique: no runs collapse).
                for (var i = 0; i < events.Count; i++)
                {
                    Assert.Equal(i >= events.Count - kept, text.Body.Contains($"  {events[i]}\n", StringComparison.Ordinal));
                }
                // The most severe patterns are the ones kept.
                var keptPatterns = parts.PatternLines.Count - text.PatternsDropped;
                Assert.Equal(parts.PatternLines.Take(keptPatterns).ToList(), parts.PatternLines.Where(l => text.Body.Contains(l + "\n", StringComparison.Ordinal)).ToList());
                // Previous sessions: the newest kept, after the newest events and before the older ones.
                var previous = parts.PreviousSessionLines;
                var keptPrevious = previous.Count - text.PreviousSessionsDropped;
                Assert.Equal(previous.Take(keptPrevious).ToList(), previous.Where(l => text.Body.Contains(l + "\n", StringComparison.Ordinal)).ToList());
                AssertPriority(events.Count, kept, previous.Count, keptPrevious, text.PatternsDropped);
                trimmedText += text.EventsDropped > 0 ? 1 : 0;
                trimmedPrevious += text.PreviousSessionsDropped > 0 ? 1 : 0;
            }

            // JSON.
            var fit = ContextBudget.FitJson(Encoding.UTF8.GetBytes(json), budget, tokenizer);
            if (fit.Body is null)
            {
                Assert.True(fit.MinimumTokens > budget);
                continue;
            }
            Assert.Equal(tokenizer.CountTokens(fit.Body), fit.Tokens);
            Assert.True(fit.Tokens <= budget, $"{fit.Tokens} > {budget}");
            var served = JsonNode.Parse(fit.Body)!.AsObject();
            var original = JsonNode.Parse(json)!.AsObject();
            Assert.Equal(original.Select(p => p.Key), served.Select(p => p.Key)); // same shape, same order
            Assert.Equal(original["last_session_summary"]?.ToJsonString(), served["last_session_summary"]?.ToJsonString());
            var servedEvents = served["recent_events"]!.AsArray().Select(e => e!["semantic_label"]!.GetValue<string>()).ToList();
            Assert.Equal(events.Skip(events.Count - servedEvents.Count), servedEvents); // the newest
            Assert.Equal(events.Count - servedEvents.Count, fit.EventsDropped);
            var servedPrevious = served["previous_sessions"]!.AsArray();
            var originalPrevious = original["previous_sessions"]!.AsArray();
            Assert.Equal(originalPrevious.Take(servedPrevious.Count).Select(p => p!.ToJsonString()), servedPrevious.Select(p => p!.ToJsonString())); // the newest, whole
            Assert.Equal(originalPrevious.Count - servedPrevious.Count, fit.PreviousSessionsDropped);
            var servedPatterns = served["patterns"]!.AsArray();
            Assert.Equal(severities.Count - servedPatterns.Count, fit.PatternsDropped);
            if (servedEvents.Count > 0)
            {
                Assert.Equal(original["patterns"]!.ToJsonString(), servedPatterns.ToJsonString()); // whole, with ids
            }
            var keptRanks = servedPatterns.Select(p => ContextText.SeverityRank(p!["severity"]!.GetValue<string>())).ToList();
            var droppedRanks = severities.Select(ContextText.SeverityRank).Order().Skip(keptRanks.Count).ToList();
            Assert.True(keptRanks.Count == 0 || droppedRanks.Count == 0 || keptRanks.Max() <= droppedRanks.Min(), "a less severe pattern was kept over a more severe one");
            AssertPriority(events.Count, servedEvents.Count, originalPrevious.Count, servedPrevious.Count, fit.PatternsDropped);
            trimmedJson += fit.EventsDropped > 0 ? 1 : 0;
        }
        // The random budgets really trimmed (else the assertions above proved little).
        Assert.True(trimmedText > 20 && trimmedJson > 20 && trimmedPrevious > 5 && tooSmall < 50, $"text trimmed {trimmedText}, json trimmed {trimmedJson}, previous sessions trimmed {trimmedPrevious}, too small {tooSmall}");
    }

    /// <summary>Patterns before anything else; the newest 10 events before previous sessions; previous sessions before older events.</summary>
    private static void AssertPriority(int events, int keptEvents, int previous, int keptPrevious, int patternsDropped)
    {
        if (keptEvents > 0 || keptPrevious > 0)
        {
            Assert.Equal(0, patternsDropped);
        }
        if (keptPrevious > 0)
        {
            Assert.True(keptEvents >= Math.Min(events, ContextBudget.EventsBeforePreviousSessions), $"{keptPrevious} previous sessions kept over the newest events ({keptEvents} of {events})");
        }
        if (keptEvents > ContextBudget.EventsBeforePreviousSessions)
        {
            Assert.True(keptPrevious == previous, $"older events kept ({keptEvents}) over previous sessions ({keptPrevious} of {previous})");
        }
    }

    [Fact]
    public void A_context_that_fits_is_served_whole_and_unchanged()
    {
        var tokenizer = ContextTokenizers.Get("o200k_base")!;
        var json = JsonNode.Parse(ContextTextTests.Example)!.ToJsonString(); // compact, as the grain writes it

        var fit = ContextBudget.FitJson(Encoding.UTF8.GetBytes(json), 100_000, tokenizer);

        Assert.Equal(json, fit.Body);
        Assert.Equal((0, 0), (fit.EventsDropped, fit.PatternsDropped));
        Assert.True(fit.MinimumTokens < fit.Tokens);
    }

    [Fact]
    public void Json_drops_events_then_evidence_ids_then_the_least_severe_patterns()
    {
        var tokenizer = ContextTokenizers.Get("o200k_base")!;
        var json = Encoding.UTF8.GetBytes(JsonNode.Parse(ContextTextTests.Example)!.ToJsonString());
        var full = ContextBudget.FitJson(json, 100_000, tokenizer).Tokens;

        var withIds = ContextBudget.FitJson(json, full - 1, tokenizer);
        Assert.Equal((1, 0), (withIds.EventsDropped, withIds.PatternsDropped));

        // Budgets down to the floor: events go first, ids next, then LOW before HIGH.
        var seen = new List<string>();
        for (var budget = full; budget >= ContextBudget.MinTokens; budget--)
        {
            var fit = ContextBudget.FitJson(json, budget, tokenizer);
            if (fit.Body is null)
            {
                Assert.True(fit.MinimumTokens > budget);
                break;
            }
            var doc = JsonNode.Parse(fit.Body)!;
            var patterns = doc["patterns"]!.AsArray();
            var ids = patterns.Sum(p => p!["evidence"]!["event_ids"]!.AsArray().Count);
            var step = $"events {doc["recent_events"]!.AsArray().Count}, ids {ids}, patterns {string.Join('+', patterns.Select(p => p!["severity"]!.GetValue<string>()))}";
            if (seen.Count == 0 || seen[^1] != step)
            {
                seen.Add(step);
            }
        }
        Assert.Equal(
            ["events 5, ids 4, patterns LOW+HIGH", "events 4, ids 4, patterns LOW+HIGH", "events 3, ids 4, patterns LOW+HIGH", "events 2, ids 4, patterns LOW+HIGH",
             "events 1, ids 4, patterns LOW+HIGH", "events 0, ids 4, patterns LOW+HIGH", "events 0, ids 0, patterns LOW+HIGH", "events 0, ids 0, patterns HIGH",
             "events 0, ids 0, patterns "],
            seen);
    }

    [Fact]
    public void Json_keeps_the_newest_ten_events_then_previous_sessions_then_older_events()
    {
        var tokenizer = ContextTokenizers.Get("o200k_base")!;
        var doc = JsonNode.Parse(ContextTextTests.WithHistory())!.AsObject();
        var template = doc["recent_events"]![1]!.ToJsonString();
        doc["recent_events"] = new JsonArray([.. Enumerable.Range(0, 14).Select(i =>
        {
            var e = JsonNode.Parse(template)!;
            e["semantic_label"] = $"Clicked #{i}";
            return e;
        })]);
        var json = Encoding.UTF8.GetBytes(doc.ToJsonString());
        var full = ContextBudget.FitJson(json, 100_000, tokenizer).Tokens;

        var seen = new List<string>();
        for (var budget = full; budget >= ContextBudget.MinTokens; budget -= 5)
        {
            var fit = ContextBudget.FitJson(json, budget, tokenizer);
            if (fit.Body is null)
            {
                break;
            }
            var served = JsonNode.Parse(fit.Body)!;
            Assert.Equal(served["previous_sessions"]!.AsArray().Count, 2 - fit.PreviousSessionsDropped);
            var step = $"events {served["recent_events"]!.AsArray().Count}, previous {served["previous_sessions"]!.AsArray().Count}";
            if (seen.Count == 0 || seen[^1] != step)
            {
                seen.Add(step);
            }
        }
        Assert.Equal(
            ["events 14, previous 2", "events 13, previous 2", "events 12, previous 2", "events 11, previous 2", "events 10, previous 2",
             "events 10, previous 1", "events 10, previous 0", "events 9, previous 0", "events 8, previous 0", "events 7, previous 0",
             "events 6, previous 0", "events 5, previous 0", "events 4, previous 0", "events 3, previous 0", "events 2, previous 0",
             "events 1, previous 0", "events 0, previous 0"],
            seen);
    }

    [Fact]
    public void Unknown_tokenizers_are_null_and_known_ones_are_built_once()
    {
        Assert.Null(ContextTokenizers.Get("gpt2"));
        Assert.Same(ContextTokenizers.Get("cl100k_base"), ContextTokenizers.Get("cl100k_base"));
    }

    private static (string Json, List<string> Labels, List<string> Severities) RandomContext(Random r)
    {
        var now = new DateTimeOffset(2025, 12, 9, 12, 0, 0, TimeSpan.Zero);
        var n = r.Next(4) == 0 ? 0 : r.Next(1, 80);
        var labels = new List<string>();
        var events = new JsonArray();
        var at = now.AddSeconds(-r.Next(60, 200_000));
        for (var i = 0; i < n; i++)
        {
            at = at.AddSeconds(r.Next(0, 400));
            var label = $"Clicked '{Words[r.Next(Words.Length)]}' #{i}";
            labels.Add(label);
            var page = Words[r.Next(Words.Length)];
            events.Add(new JsonObject
            {
                ["enriched_event_id"] = Guid.NewGuid().ToString(),
                ["raw_event_id"] = Guid.NewGuid().ToString(),
                ["session_id"] = "s-" + r.Next(3),
                ["semantic_label"] = label,
                ["event_type"] = "click",
                ["action_type"] = "click",
                ["timestamp"] = JsonTime.Text(at),
                ["original_timestamp"] = null,
                ["page_path"] = "/" + page,
                ["page_title"] = r.Next(3) == 0 ? null : page + " page",
                ["element_type"] = "button",
                ["element_text"] = page,
                ["sequence_number"] = i + 1,
                ["context"] = new JsonObject { ["posthog_event"] = "$autocapture", ["text"] = page },
            });
        }
        var severities = new List<string>();
        var patterns = new JsonArray();
        for (var i = r.Next(6); i > 0; i--)
        {
            var severity = Severities[r.Next(3)];
            severities.Add(severity);
            patterns.Add(new JsonObject
            {
                ["code"] = "rule_" + patterns.Count,
                ["description"] = string.Join(' ', Enumerable.Range(0, r.Next(3, 25)).Select(_ => Words[r.Next(Words.Length)])),
                ["severity"] = severity,
                ["status"] = r.Next(2) == 0 ? "pending" : "confirmed",
                ["evidence"] = new JsonObject
                {
                    ["count"] = r.Next(1, 9),
                    ["first_seen"] = JsonTime.Text(now.AddMinutes(-10)),
                    ["last_seen"] = JsonTime.Text(now.AddMinutes(-1)),
                    ["event_ids"] = new JsonArray([.. Enumerable.Range(0, r.Next(0, 10)).Select(_ => (JsonNode)Guid.NewGuid().ToString())]),
                },
            });
        }
        var hasSession = n > 0 || r.Next(2) == 0;
        var previous = new JsonArray();
        for (var i = hasSession ? r.Next(-3, SessionHistory.Max + 1) : 0; i > 0; i--)
        {
            var startedAt = now.AddDays(-previous.Count - 1).AddMinutes(-r.Next(0, 600));
            previous.Add(new JsonObject
            {
                ["session_id"] = "prev-" + previous.Count,
                ["started_at"] = JsonTime.Text(startedAt),
                ["ended_at"] = r.Next(5) == 0 ? null : JsonTime.Text(startedAt.AddMinutes(12)),
                ["duration_seconds"] = 720,
                ["page_views_count"] = r.Next(0, 9),
                ["event_count"] = r.Next(1, 40),
                ["first_page"] = "/",
                ["last_page"] = "/" + Words[r.Next(Words.Length)],
                ["summary"] = $"Session {previous.Count} " + string.Join(' ', Enumerable.Range(0, r.Next(1, 20)).Select(_ => Words[r.Next(Words.Length)])) + ".",
                ["patterns"] = new JsonArray([.. Enumerable.Range(0, r.Next(0, 3)).Select(k => (JsonNode)new JsonObject
                {
                    ["code"] = "rule_" + k,
                    ["description"] = "about rule " + k,
                    ["severity"] = Severities[r.Next(3)],
                    ["status"] = "confirmed",
                })]),
            });
        }
        var doc = new JsonObject
        {
            ["generated_at"] = JsonTime.Text(now),
            ["user_id"] = "user-" + r.Next(1000),
            ["recent_events"] = events,
            ["last_session_summary"] = hasSession ? string.Join(' ', Enumerable.Range(0, r.Next(1, 60)).Select(_ => Words[r.Next(Words.Length)])) + "." : null,
            ["last_session"] = hasSession
                ? new JsonObject
                {
                    ["session_id"] = "s-1",
                    ["started_at"] = JsonTime.Text(now.AddMinutes(-r.Next(1, 500))),
                    ["last_activity_at"] = JsonTime.Text(now),
                    ["ended_at"] = null,
                    ["duration_seconds"] = r.Next(0, 30_000) / 10.0,
                    ["event_count"] = n,
                    ["page_views_count"] = r.Next(0, 9),
                    ["clicks_count"] = n,
                    ["rage_clicks_count"] = 0,
                    ["custom_events_count"] = 0,
                    ["first_page"] = "/",
                    ["last_page"] = "/cart",
                    ["is_active"] = r.Next(2) == 0,
                }
                : null,
            ["previous_sessions"] = previous,
            ["patterns"] = patterns,
        };
        var options = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return (doc.ToJsonString(options), labels, severities);
    }
}
