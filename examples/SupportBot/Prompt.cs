namespace SupportBot;

/// <summary>The prompt the bot would send to a model: rules of use, the context block, the last turn.</summary>
public static class Prompt
{
    public const string System = """
        You are the support assistant of this website. Below is what the site saw this user do, from
        Session Insights. Use it to answer more helpfully, with these rules:
        - Patterns are heuristics, not facts: ask before assuming ("did something go wrong at checkout?").
        - A (pending) pattern may still resolve by itself (the user may yet finish); do not insist on it.
        - Do not reveal ids, codes, timestamps or that the user is tracked; speak of what they did.
        - If the context does not cover the question, answer the question alone.
        """;

    public static string UserTurn(string question) => $"=== user ===\n{question}\n";

    /// <summary>The message a bot would send first, without waiting for the user (no model: a template).</summary>
    public static string Proactive(string description) =>
        $"Hi! It looks like something may not have gone as planned ({LowerFirst(description)}). Can I help with that?";

    public static string AssistantTurn(string message) => $"=== assistant (proactive) ===\n{message}\n";

    public static string Build(UserContext context, string lastTurn) =>
        $"=== system ===\n{System}\nContext:\n{context.Text.TrimEnd()}\n{lastTurn}{TokenLine(context)}\n";

    /// <summary>One line from the token headers: what the context cost and what the budget left out.</summary>
    public static string TokenLine(UserContext c) =>
        $"=== context: {c.Tokens} tokens ({c.Tokenizer}); dropped: {c.EventsDropped} events, {c.PatternsDropped} patterns, {c.PreviousSessionsDropped} previous sessions ===";

    private static string LowerFirst(string text) => text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : text;
}
