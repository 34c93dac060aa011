namespace SessionInsights.Domain.Tests.Projects;

public sealed class ProjectKeysTests
{
    [Fact]
    public void Keys_are_prefixed_random_and_url_safe()
    {
        var tokens = Enumerable.Range(0, 100).Select(_ => ProjectKeys.NewCaptureToken()).ToList();
        var secrets = Enumerable.Range(0, 100).Select(_ => ProjectKeys.NewSecretKey()).ToList();
        Assert.All(tokens, t => Assert.Matches("^phc_[A-Za-z0-9_-]{43}$", t));
        Assert.All(secrets, s => Assert.Matches("^sis_[A-Za-z0-9_-]{43}$", s));
        Assert.Equal(200, tokens.Concat(secrets).Distinct().Count());
    }

    [Fact]
    public void A_secret_is_hashed_with_sha256_and_its_hint_shows_only_its_ends()
    {
        var secret = ProjectKeys.NewSecretKey();
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)), ProjectKeys.Hash(secret));
        Assert.NotEqual(ProjectKeys.Hash(secret), ProjectKeys.Hash(secret + "x"));
        Assert.Equal($"sis_…{secret[^4..]}", ProjectKeys.Hint(secret));
        Assert.Equal("…", ProjectKeys.Hint("short"));
    }
}
