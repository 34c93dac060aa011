using SessionInsights.Cli;
using SessionInsights.Cli.Verbs;

IVerb[] verbs = [new EnrichVerb(), new ContextVerb(), new LoadVerb(), new ProjectsVerb(), new StreamProbeVerb()];

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    PrintUsage(args.Length == 0 ? Console.Error : Console.Out);
    return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Success;
}

var verb = Array.Find(verbs, v => v.Name == args[0]);
if (verb is null)
{
    Console.Error.WriteLine($"unknown verb '{args[0]}'");
    PrintUsage(Console.Error);
    return ExitCodes.Usage;
}

using var stdout = Console.OpenStandardOutput();
return verb.Run(args[1..], stdout, Console.Error);

void PrintUsage(TextWriter to)
{
    to.WriteLine("usage: session-insights VERB ARGS...");
    foreach (var v in verbs)
    {
        to.WriteLine($"  {v.Usage}");
    }
}
