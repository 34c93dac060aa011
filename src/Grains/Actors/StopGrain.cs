namespace SessionInsights.Grains.Actors;

/// <summary>Hand-off and passivation stop message: the grain commits what it holds, then stops.</summary>
public sealed class StopGrain
{
    public static readonly StopGrain Instance = new();

    private StopGrain()
    {
    }
}
