using SessionInsights.Benchmarks;

// dotnet run -c Release --project bench/Benchmarks -- domain [users] [eventsPerUser] [rounds] [packs, comma-separated]
var verb = args.Length > 0 ? args[0] : "domain";
switch (verb)
{
    case "domain":
        DomainBenchmark.Run(
            args.Length > 1 ? int.Parse(args[1]) : 2_000,
            args.Length > 2 ? int.Parse(args[2]) : 100,
            args.Length > 3 ? int.Parse(args[3]) : 3,
            args.Length > 4 ? args[4].Split(',') : ["seed", "shop", "saas"]);
        return 0;
    default:
        Console.Error.WriteLine("usage: domain [users] [eventsPerUser] [rounds] [packs]");
        return 2;
}
