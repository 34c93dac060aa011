namespace SessionInsights.Cli;

/// <summary>One sub-command of the CLI (<c>session-insights VERB ARGS…</c>).</summary>
internal interface IVerb
{
    string Name { get; }

    /// <summary>One usage line, e.g. <c>enrich FILE</c>, followed by what the verb does.</summary>
    string Usage { get; }

    /// <param name="args">The arguments after the verb.</param>
    int Run(IReadOnlyList<string> args, Stream stdout, TextWriter stderr);
}
